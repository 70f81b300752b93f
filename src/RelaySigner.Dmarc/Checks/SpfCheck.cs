using System.Net;
using ARSoft.Tools.Net.Spf;
using RelaySigner.Dmarc.Lookup;

namespace RelaySigner.Dmarc.Checks;

/// <summary>
/// The domain's SPF record (RFC 7208): exactly one, valid, at most 10 DNS-querying terms in all (§4.6.4), ending in
/// -all or ~all, and authorising the relay's outbound addresses.
/// </summary>
public sealed class SpfCheck(TxtLookup txt, SpfEvaluator evaluator)
{
    private const string Subject = "SPF";
    private const int LookupLimit = 10;

    public async Task<IReadOnlyList<CheckResult>> CheckAsync(string domain, IReadOnlyList<IPAddress> relayAddresses, CancellationToken cancellationToken)
    {
        var records = await FindSpfAsync(domain, cancellationToken).ConfigureAwait(false);
        if (records.Count != 1)
        {
            return [new(Subject, CheckStatus.Fail, records.Count == 0 ? $"{domain} publishes no SPF record" : $"{domain} publishes {records.Count} SPF records; receivers return permerror")];
        }

        if (!SpfRecord.TryParse(records[0], out var record) || record is null)
        {
            return [new(Subject, CheckStatus.Fail, $"{domain}: SPF record does not parse: \"{records[0]}\"")];
        }

        var results = new List<CheckResult> { new(Subject, CheckStatus.Pass, $"{domain}: \"{records[0]}\"") };
        var lookups = await CountLookupsAsync(record, new HashSet<string> { domain.ToLowerInvariant() }, cancellationToken).ConfigureAwait(false);
        results.Add(lookups > LookupLimit
            ? new(Subject, CheckStatus.Fail, $"{lookups} DNS-querying terms (include, a, mx, ptr, exists, redirect) in all; receivers stop at {LookupLimit} with permerror")
            : new(Subject, CheckStatus.Pass, $"{lookups} of at most {LookupLimit} DNS-querying terms"));
        results.Add(Ending(record));

        if (relayAddresses.Count == 0)
        {
            results.Add(new(Subject, CheckStatus.Warn, "no relay addresses given (--relay-ip): not checked that SPF authorises the relay"));
        }

        foreach (var address in relayAddresses)
        {
            var verdict = await evaluator.CheckHostAsync(address, domain, cancellationToken).ConfigureAwait(false);
            results.Add(verdict == SpfQualifier.Pass
                ? new(Subject, CheckStatus.Pass, $"authorises the relay address {address}")
                : new(Subject, CheckStatus.Fail, $"does not authorise the relay address {address} (check_host: {verdict})"));
        }

        return results;
    }

    private async Task<List<string>> FindSpfAsync(string domain, CancellationToken cancellationToken) =>
        [.. (await txt.FindAsync(domain, cancellationToken).ConfigureAwait(false)).Where(SpfRecord.IsSpfRecord)];

    private static CheckResult Ending(SpfRecord record)
    {
        var all = record.Terms.OfType<SpfMechanism>().LastOrDefault(m => m.Type == SpfMechanismType.All);
        var redirect = record.Terms.OfType<SpfModifier>().Any(m => m.Type == SpfModifierType.Redirect);
        return all?.Qualifier switch
        {
            SpfQualifier.Fail => new(Subject, CheckStatus.Pass, "ends in -all"),
            SpfQualifier.SoftFail => new(Subject, CheckStatus.Pass, "ends in ~all"),
            SpfQualifier.Pass => new(Subject, CheckStatus.Fail, "+all authorises every host on the internet"),
            SpfQualifier.Neutral => new(Subject, CheckStatus.Warn, "?all says nothing about other hosts; end in -all or ~all"),
            _ when redirect => new(Subject, CheckStatus.Pass, "ends in a redirect="),
            _ => new(Subject, CheckStatus.Warn, "has no all mechanism; end in -all or ~all"),
        };
    }

    /// <summary>
    /// Counts DNS-querying terms through include: and redirect=, the worst case a receiver may evaluate: a domain
    /// included twice counts twice; only a loop (a domain including one of its includers) is cut.
    /// </summary>
    private async Task<int> CountLookupsAsync(SpfRecord record, IReadOnlySet<string> includers, CancellationToken cancellationToken)
    {
        var count = 0;
        var targets = new List<string>();
        foreach (var term in record.Terms)
        {
            switch (term)
            {
                case SpfMechanism { Type: SpfMechanismType.A or SpfMechanismType.Mx or SpfMechanismType.Ptr or SpfMechanismType.Exists }:
                    count++;
                    break;
                case SpfMechanism { Type: SpfMechanismType.Include } include:
                    count++;
                    targets.Add(include.Domain ?? string.Empty);
                    break;
                case SpfModifier { Type: SpfModifierType.Redirect } redirect:
                    count++;
                    targets.Add(redirect.Domain);
                    break;
            }
        }

        // A target with macros (%{i}…) depends on the client and is not followed.
        foreach (var target in targets.Select(t => t.ToLowerInvariant()).Where(t => t.Length > 0 && !t.Contains('%') && !includers.Contains(t)))
        {
            var nested = await FindSpfAsync(target, cancellationToken).ConfigureAwait(false);
            if (nested.Count == 1 && SpfRecord.TryParse(nested[0], out var nestedRecord) && nestedRecord is not null)
            {
                count += await CountLookupsAsync(nestedRecord, new HashSet<string>(includers) { target }, cancellationToken).ConfigureAwait(false);
            }
        }

        return count;
    }
}
