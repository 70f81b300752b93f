using System.Net;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Dmarc.Reports.Store;

namespace RelaySigner.Queue.Reports;

/// <summary>
/// What one report adds to the dashboard's sums: its records summed per source IP, on the UTC day of the report's
/// begin. Summed here, before the store sees them, so a report of a thousand rows from ten sources costs ten upserts
/// per sum table, not a thousand.
/// </summary>
internal static class ReportSums
{
    public static readonly DateOnly Epoch = new(1970, 1, 1);

    /// <summary>The day a report counts on: the UTC day its period begins (a day's report begins at 00:00 UTC).</summary>
    public static DateOnly Day(AggregateReport report) => DateOnly.FromDateTime(report.Metadata.Begin.UtcDateTime);

    /// <summary>The key that makes a report unique with its id: reporters are compared ignoring case.</summary>
    public static string OrgKey(AggregateReport report) => report.Metadata.OrgName.ToLowerInvariant();

    /// <returns>Per source IP, ordered by its text: concurrent imports upsert shared rows in one order, never deadlocking.</returns>
    public static List<(IPAddress SourceIp, ReportTotals Totals)> PerSource(AggregateReport report)
    {
        var sums = new Dictionary<IPAddress, ReportTotals>();
        foreach (var record in report.Records)
        {
            var count = record.Count;
            var sum = sums.GetValueOrDefault(record.SourceIp);
            sums[record.SourceIp] = new ReportTotals(
                sum.Messages + count,
                sum.DkimAligned + (record.DkimAligned ? count : 0),
                sum.SpfAligned + (record.SpfAligned ? count : 0),
                sum.DmarcPass + (record.DmarcPass ? count : 0),
                sum.Quarantined + (Is(record, "quarantine") ? count : 0),
                sum.Rejected + (Is(record, "reject") ? count : 0));
        }

        return [.. sums.Select(pair => (pair.Key, pair.Value)).OrderBy(pair => pair.Key.ToString(), StringComparer.Ordinal)];
    }

    private static bool Is(ReportRecord record, string disposition) =>
        string.Equals(record.Disposition, disposition, StringComparison.OrdinalIgnoreCase);
}
