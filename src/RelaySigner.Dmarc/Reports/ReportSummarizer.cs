using System.Net;

namespace RelaySigner.Dmarc.Reports;

/// <summary>
/// Sums aggregate reports per reporter, domain and source IP, and tells this relay's sources from unknown ones.
/// A report seen twice (same reporter and report id, e.g. from overlapping mailbox exports) counts once.
/// </summary>
public static class ReportSummarizer
{
    public static ReportSummary Summarize(IEnumerable<AggregateReport> reports, IReadOnlyCollection<IPNetwork> relaySources)
    {
        var unique = reports
            .DistinctBy(r => (r.Metadata.OrgName.ToLowerInvariant(), r.Metadata.ReportId))
            .ToList();
        var rows = unique
            .SelectMany(report => report.Records.Select(record => (report, record)))
            .ToList();

        var sources = rows
            .GroupBy(x => (x.report.Metadata.OrgName, x.report.Policy.Domain, x.record.SourceIp))
            .Select(g => new SourceSummary(
                g.Key.OrgName,
                g.Key.Domain,
                g.Key.SourceIp,
                IsRelaySource(g.Key.SourceIp, relaySources),
                g.Sum(x => x.record.Count),
                g.Where(x => x.record.DkimAligned).Sum(x => x.record.Count),
                g.Where(x => x.record.SpfAligned).Sum(x => x.record.Count),
                g.Where(x => x.record.DmarcPass).Sum(x => x.record.Count),
                g.GroupBy(x => x.record.Disposition).ToDictionary(d => d.Key, d => d.Sum(x => x.record.Count))))
            .OrderBy(s => s.Domain, StringComparer.Ordinal)
            .ThenByDescending(s => s.Messages)
            .ToList();

        var domains = unique
            .GroupBy(r => r.Policy.Domain)
            .Select(g =>
            {
                var domainSources = sources.Where(s => s.Domain == g.Key).ToList();
                var latest = g.MaxBy(r => r.Metadata.End)!.Policy;
                return new DomainSummary(
                    g.Key,
                    domainSources.Sum(s => s.Messages),
                    domainSources.Sum(s => s.DmarcPass),
                    domainSources.Where(s => s.KnownSource).Sum(s => s.Messages),
                    domainSources.Where(s => s.KnownSource).Sum(s => s.DkimAligned),
                    $"p={latest.P}" + (latest.Sp is null ? string.Empty : $" sp={latest.Sp}") + $" pct={latest.Pct}");
            })
            .OrderBy(d => d.Domain, StringComparer.Ordinal)
            .ToList();

        return new ReportSummary(
            unique.Count,
            unique.Count == 0 ? null : unique.Min(r => r.Metadata.Begin),
            unique.Count == 0 ? null : unique.Max(r => r.Metadata.End),
            domains,
            sources);
    }

    private static bool IsRelaySource(IPAddress address, IReadOnlyCollection<IPNetwork> relaySources) =>
        relaySources.Any(network => network.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));
}
