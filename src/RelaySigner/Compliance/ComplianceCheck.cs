using System.Net;
using RelaySigner.Dmarc.Checks;
using RelaySigner.Dmarc.Lookup;
using RelaySigner.Dmarc.Records;

namespace RelaySigner.Compliance;

/// <summary>
/// The rules Gmail and Yahoo (since February 2024) and Outlook.com (since May 2025) set for bulk senders, checked for
/// one From domain as this relay sends its mail: one verdict per rule. DNS is asked through one resolver; a lookup
/// that fails throws <see cref="InvalidOperationException"/> rather than judging on half an answer.
/// </summary>
public sealed class ComplianceCheck(IPEndPoint? dnsServer, Func<string, string?> organizationalDomain, TimeProvider time)
{
    /// <summary>The window the rates are counted over: long enough for a weekly campaign, short enough to be current.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromDays(7);

    /// <summary>Where the relay hosts one-click unsubscribe; read as a plain key, its section arrives with the unsubscribe endpoint.</summary>
    public const string UnsubscribeBaseUrlKey = "Relay:Unsubscribe:BaseUrl";

    private readonly TxtLookup _txt = new(dnsServer);

    public async Task<IReadOnlyList<CheckResult>> RunAsync(ComplianceSetup setup, CancellationToken cancellationToken)
    {
        var (dmarcOwner, dmarc) = await new DmarcPolicyCheck(new DmarcRecordLookup(_txt), organizationalDomain)
            .FindAsync(setup.FromDomain, cancellationToken).ConfigureAwait(false);
        var dkim = await DkimAsync(setup, cancellationToken).ConfigureAwait(false);
        var spfAligned = DmarcAlignment.IsAligned(setup.FromDomain, setup.ReturnPathDomain, dmarc?.SpfAlignment ?? "r", organizationalDomain);
        return
        [
            await SpfAsync(setup, cancellationToken).ConfigureAwait(false),
            SpfAlignment(setup, spfAligned),
            dkim,
            Dmarc(setup, dmarcOwner, dmarc, dkim.Status == CheckStatus.Pass, spfAligned),
            await ReverseDnsAsync(setup, cancellationToken).ConfigureAwait(false),
            Tls(setup),
            Unsubscribe(setup),
            .. await RatesAsync(setup, cancellationToken).ConfigureAwait(false),
        ];
    }

    /// <summary>
    /// check_host() passes for every relay address (a network: its first and last), for the From domain and the
    /// return-path domain.
    /// </summary>
    private async Task<CheckResult> SpfAsync(ComplianceSetup setup, CancellationToken cancellationToken)
    {
        const string Subject = "SPF";
        var addresses = setup.RelayNetworks.SelectMany(SpfProbes.Of).ToList();
        if (addresses.Count == 0)
        {
            return new(Subject, CheckStatus.Warn, "no relay address given (--relay-ip or Relay:Delivery:SourceAddresses): not checked");
        }

        var evaluator = new SpfEvaluator(dnsServer);
        var domains = new[] { setup.FromDomain, setup.ReturnPathDomain }.Distinct().ToList();
        var failures = new List<string>();
        foreach (var domain in domains)
        {
            foreach (var address in addresses)
            {
                var verdict = await evaluator.CheckHostAsync(address, domain, cancellationToken).ConfigureAwait(false);
                if (verdict != ARSoft.Tools.Net.Spf.SpfQualifier.Pass)
                {
                    failures.Add($"{domain} does not authorise {address} (check_host: {verdict})");
                }
            }
        }

        return failures.Count > 0
            ? new(Subject, CheckStatus.Fail, string.Join("; ", failures))
            : new(Subject, CheckStatus.Pass, $"{string.Join(" and ", domains)} authorise {string.Join(", ", addresses)}");
    }

    private static CheckResult SpfAlignment(ComplianceSetup setup, bool aligned)
    {
        const string Subject = "SPF alignment";
        return aligned
            ? new(Subject, CheckStatus.Pass, $"return-path domain {setup.ReturnPathDomain} is aligned with {setup.FromDomain}")
            : new(Subject, CheckStatus.Warn,
                $"return-path domain {setup.ReturnPathDomain} is not aligned with {setup.FromDomain}: DMARC rests on the DKIM signature alone");
    }

    /// <summary>Every key the relay signs the domain's mail with is published and is the public half of the private key.</summary>
    private async Task<CheckResult> DkimAsync(ComplianceSetup setup, CancellationToken cancellationToken)
    {
        const string Subject = "DKIM";
        if (setup.Signing is not { Keys.Count: > 0 } signing)
        {
            return new(Subject, CheckStatus.Fail, $"the relay has no key for {setup.FromDomain} or a parent: it refuses its mail");
        }

        var check = new DkimSelectorCheck(_txt);
        var results = new List<CheckResult>();
        foreach (var key in signing.Keys)
        {
            results.AddRange(await check.CheckAsync(signing.Domain, key.Selector, key.PublicKey, cancellationToken).ConfigureAwait(false));
        }

        return OneLine(Subject, results,
            $"d={signing.Domain} s={string.Join(",", signing.Keys.Select(k => k.Selector))} published and matching the relay's keys");
    }

    /// <summary>A valid record (own or inherited) with at least p=none, and the mail aligned through DKIM or SPF.</summary>
    private CheckResult Dmarc(ComplianceSetup setup, string owner, DmarcRecord? record, bool dkimPublished, bool spfAligned)
    {
        const string Subject = "DMARC";
        if (record is null)
        {
            return new(Subject, CheckStatus.Fail, $"no DMARC record at _dmarc.{setup.FromDomain} or its organisational domain; publish at least \"v=DMARC1; p=none\"");
        }

        if (!record.IsValid)
        {
            return new(Subject, CheckStatus.Fail, $"_dmarc.{owner}: {string.Join("; ", record.Errors)}");
        }

        var dkimAligned = dkimPublished && setup.Signing is { } signing &&
            DmarcAlignment.IsAligned(setup.FromDomain, signing.Domain, record.DkimAlignment, organizationalDomain);
        var policy = owner == setup.FromDomain ? record.Policy : record.SubdomainPolicy ?? record.Policy;
        var published = owner == setup.FromDomain ? $"_dmarc.{owner}" : $"inherited from _dmarc.{owner}";
        return dkimAligned || spfAligned
            ? new(Subject, CheckStatus.Pass, $"{published}: p={policy}, aligned through {(dkimAligned ? "DKIM" : "SPF")}{(dkimAligned && spfAligned ? " and SPF" : "")}")
            : new(Subject, CheckStatus.Fail,
                $"{published}: p={policy}, but neither a published DKIM key (adkim={record.DkimAlignment}) nor the return-path (aspf={record.SpfAlignment}) is aligned with {setup.FromDomain}");
    }

    /// <summary>Every relay address has a PTR that resolves back to it and is the relay's EHLO name.</summary>
    private async Task<CheckResult> ReverseDnsAsync(ComplianceSetup setup, CancellationToken cancellationToken)
    {
        const string Subject = "Reverse DNS";
        // A network's addresses cannot each be looked up: only single addresses are.
        var addresses = setup.RelayNetworks.Where(n => n.PrefixLength == n.BaseAddress.GetAddressBytes().Length * 8).Select(n => n.BaseAddress).ToList();
        if (addresses.Count == 0)
        {
            return new(Subject, CheckStatus.Warn, setup.RelayNetworks.Count == 0
                ? "no relay address given (--relay-ip or Relay:Delivery:SourceAddresses): not checked"
                : "the relay's sources are networks: give each outbound address (--relay-ip) to check its PTR");
        }

        var check = new ReverseDnsCheck(dnsServer);
        var results = new List<CheckResult>();
        foreach (var address in addresses)
        {
            results.Add(await check.CheckAsync(address, setup.HeloName, cancellationToken).ConfigureAwait(false));
        }

        return OneLine(Subject, results, string.Join("; ", results.Select(r => r.Detail)));
    }

    /// <summary>Delivery always uses STARTTLS when offered (no setting turns it off); a smarthost may still not offer it.</summary>
    private static CheckResult Tls(ComplianceSetup setup)
    {
        const string Subject = "TLS";
        if (setup.Smarthost is { Length: > 0 } smarthost &&
            !setup.RequireTlsDestinations.Contains(smarthost, StringComparer.OrdinalIgnoreCase))
        {
            return new(Subject, CheckStatus.Warn,
                $"STARTTLS is used when offered, but mail goes to the smarthost {smarthost} in plain text if it does not offer it; add it to Relay:Delivery:RequireTlsDomains");
        }

        return new(Subject, CheckStatus.Pass, setup.RequireTlsDestinations.Count == 0
            ? "outbound STARTTLS whenever the receiver offers it (it cannot be turned off)"
            : $"outbound STARTTLS whenever offered, required for {string.Join(", ", setup.RequireTlsDestinations)}");
    }

    /// <summary>
    /// One-click unsubscribe (RFC 8058) for bulk mail: the relay adds it when it hosts the endpoint. Which domains send
    /// bulk mail is not marked in this build's settings, so the rule asks whether the endpoint is configured at all.
    /// </summary>
    private static CheckResult Unsubscribe(ComplianceSetup setup)
    {
        const string Subject = "Unsubscribe";
        return setup.UnsubscribeBaseUrl is { Length: > 0 } url
            ? new(Subject, CheckStatus.Pass, $"one-click unsubscribe (RFC 8058) hosted at {url}")
            : new(Subject, CheckStatus.Warn,
                "no {UnsubscribeBaseUrlKey}: bulk mail (5,000 a day or more to Gmail or Yahoo) needs one-click unsubscribe, which the application must then add itself");
    }

    /// <summary>The complaint and hard-bounce rates of the From domain's organisational domain over <see cref="RateWindow"/>.</summary>
    public async Task<IReadOnlyList<CheckResult>> RatesAsync(ComplianceSetup setup, CancellationToken cancellationToken)
    {
        if (setup.FeedbackRates is null)
        {
            const string NoData = "no feedback data: this relay keeps no counts of deliveries, bounces and complaints";
            return [new(RateRules.ComplaintSubject, CheckStatus.Warn, NoData), new(RateRules.HardBounceSubject, CheckStatus.Warn, NoData)];
        }

        var domain = organizationalDomain(setup.FromDomain) ?? setup.FromDomain;
        var rates = await setup.FeedbackRates.GetAsync(domain, time.GetUtcNow() - RateWindow, cancellationToken).ConfigureAwait(false);
        var window = $"for {domain} in the last {RateWindow.TotalDays:0} days";
        return [RateRules.Complaints(rates, window), RateRules.HardBounces(rates, window)];
    }

    /// <summary>Several findings as one line: the worst status, with the findings that gave it.</summary>
    private static CheckResult OneLine(string subject, IReadOnlyList<CheckResult> findings, string passDetail)
    {
        var worst = findings.Count == 0 ? CheckStatus.Pass : findings.Max(f => f.Status);
        return worst == CheckStatus.Pass
            ? new(subject, worst, passDetail)
            : new(subject, worst, string.Join("; ", findings.Where(f => f.Status == worst).Select(f => f.Detail)));
    }
}
