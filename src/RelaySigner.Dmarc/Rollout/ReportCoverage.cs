using RelaySigner.Dmarc.Reports;

namespace RelaySigner.Dmarc.Rollout;

/// <summary>
/// Which days of a window the reports speak for. A UTC day counts as covered when some report's period overlaps it;
/// a day no report covers is mail nobody has seen, so the rollout waits for it.
/// </summary>
public static class ReportCoverage
{
    /// <summary>The whole UTC days before <paramref name="now"/>'s day, <paramref name="days"/> of them, oldest first.</summary>
    public static IReadOnlyList<DateOnly> Window(DateTimeOffset now, int days)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return [.. Enumerable.Range(1, days).Select(back => today.AddDays(-back)).Reverse()];
    }

    public static IReadOnlyList<DateOnly> MissingDays(IReadOnlyList<DateOnly> window, IEnumerable<ReportMetadata> reports)
    {
        var periods = reports.Select(r => (r.Begin, r.End)).ToList();
        return [.. window.Where(day =>
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var end = start.AddDays(1);
            return !periods.Any(p => p.Begin < end && p.End > start);
        })];
    }
}
