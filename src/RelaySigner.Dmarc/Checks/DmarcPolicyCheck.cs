using RelaySigner.Dmarc.Records;

namespace RelaySigner.Dmarc.Checks;

/// <summary>
/// The domain's DMARC record: published at <c>_dmarc.&lt;domain&gt;</c> or inherited from its organisational domain
/// (RFC 7489 §6.6.3), valid, and how far the rollout has come.
/// </summary>
/// <param name="organizationalDomain">The Public Suffix List's answer for a domain (null for a public suffix).</param>
public sealed class DmarcPolicyCheck(DmarcRecordLookup lookup, Func<string, string?> organizationalDomain)
{
    private const string Subject = "DMARC";

    public async Task<IReadOnlyList<CheckResult>> CheckAsync(string domain, CancellationToken cancellationToken)
    {
        var (owner, record) = await FindAsync(domain, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return [new(Subject, CheckStatus.Fail, $"no DMARC record at _dmarc.{domain} or its organisational domain; start with \"v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}\"")];
        }

        if (!record.IsValid)
        {
            return [.. record.Errors.Select(e => new CheckResult(Subject, CheckStatus.Fail, $"_dmarc.{owner}: {e}"))];
        }

        var policy = owner == domain ? record.Policy : record.SubdomainPolicy ?? record.Policy;
        var results = new List<CheckResult>
        {
            new(Subject, CheckStatus.Pass, owner == domain
                ? $"_dmarc.{owner}: \"{record.Format()}\""
                : $"inherited from _dmarc.{owner}: \"{record.Format()}\" (its sp= applies to {domain})"),
            policy switch
            {
                "none" => new(Subject, CheckStatus.Warn, "p=none: monitoring only, spoofed mail is still delivered; see `relaysigner dmarc advise`"),
                _ => new(Subject, CheckStatus.Pass, $"policy {policy}"),
            },
        };

        if (record.Percent < 100)
        {
            results.Add(new(Subject, CheckStatus.Warn, $"pct={record.Percent}: the policy applies to part of the failing mail only"));
        }

        results.Add(record.AggregateReportUris.Count == 0
            ? new(Subject, CheckStatus.Warn, "no rua=: no aggregate reports, so failures go unseen")
            : new(Subject, CheckStatus.Pass, $"aggregate reports to {string.Join(", ", record.AggregateReportUris)}"));
        return results;
    }

    /// <summary>The domain itself, then (RFC 7489 §6.6.3) its organisational domain; no other parent is asked.</summary>
    /// <returns>Where the record applying to <paramref name="domain"/> is published, and the record (null when none is).</returns>
    /// <exception cref="InvalidOperationException">DNS failed, or several DMARC records are published.</exception>
    public async Task<(string Owner, DmarcRecord? Record)> FindAsync(string domain, CancellationToken cancellationToken)
    {
        if (await lookup.FindAsync(domain, cancellationToken).ConfigureAwait(false) is { } own)
        {
            return (domain, own);
        }

        return organizationalDomain(domain) is { } organizational && organizational != domain &&
               await lookup.FindAsync(organizational, cancellationToken).ConfigureAwait(false) is { } inherited
            ? (organizational, inherited)
            : (domain, null);
    }
}
