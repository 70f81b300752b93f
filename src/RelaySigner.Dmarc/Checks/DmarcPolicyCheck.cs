using RelaySigner.Dmarc.Records;

namespace RelaySigner.Dmarc.Checks;

/// <summary>
/// The domain's DMARC record: published at <c>_dmarc.&lt;domain&gt;</c> or inherited from a parent domain
/// (RFC 7489 §6.6.3 falls back to the organisational domain), valid, and how far the rollout has come.
/// </summary>
public sealed class DmarcPolicyCheck(DmarcRecordLookup lookup)
{
    private const string Subject = "DMARC";

    public async Task<IReadOnlyList<CheckResult>> CheckAsync(string domain, CancellationToken cancellationToken)
    {
        var (owner, record) = await FindAsync(domain, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return [new(Subject, CheckStatus.Fail, $"no DMARC record at _dmarc.{domain} or a parent; start with \"v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}\"")];
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

    /// <summary>
    /// The domain itself, then each parent with at least two labels. Without the Public Suffix List this may also
    /// ask a public suffix (e.g. _dmarc.co.uk), where no record is ever published, so the answer is the same.
    /// </summary>
    private async Task<(string Owner, DmarcRecord? Record)> FindAsync(string domain, CancellationToken cancellationToken)
    {
        for (var candidate = domain; candidate.Contains('.'); candidate = candidate[(candidate.IndexOf('.') + 1)..])
        {
            if (await lookup.FindAsync(candidate, cancellationToken).ConfigureAwait(false) is { } record)
            {
                return (candidate, record);
            }
        }

        return (domain, null);
    }
}
