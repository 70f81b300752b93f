using System.Globalization;
using System.Net;
using RelaySigner.Dmarc.Records;
using RelaySigner.Dmarc.Reports;

namespace RelaySigner.Dmarc.Rollout;

/// <summary>
/// The staged DMARC rollout: none (with reports) → quarantine → quarantine at 100 % → reject. A step is advised
/// only when recent aggregate reports show that nearly all of the domain's mail passes DKIM aligned from this
/// relay, so tightening the policy costs no legitimate mail.
/// </summary>
public static class RolloutAdvisor
{
    public static RolloutAdvice Advise(
        string domain,
        DmarcRecord? published,
        IEnumerable<AggregateReport> reports,
        IReadOnlyCollection<IPNetwork> relaySources,
        RolloutCriteria criteria,
        DateTimeOffset now)
    {
        domain = domain.ToLowerInvariant();
        var window = ReportCoverage.Window(now, criteria.Days);
        var windowStart = new DateTimeOffset(window[0].ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var recent = reports
            .Where(r => r.Policy.Domain == domain && r.Metadata.End > windowStart)
            .ToList();
        var summary = ReportSummarizer.Summarize(recent, relaySources);
        var missingDays = ReportCoverage.MissingDays(window, recent.Select(r => r.Metadata));
        return Advise(domain, published, summary.Sources, window, missingDays, criteria);
    }

    /// <summary>
    /// The same advice from sums kept at import (the dashboard's report store) instead of the reports themselves.
    /// </summary>
    /// <param name="sources">Per reporter and source, the domain's mail over the last <see cref="RolloutCriteria.Days"/>
    /// whole days; <see cref="SourceSummary.KnownSource"/> marks the senders whose aligned mail counts.</param>
    /// <param name="daysWithReports">The UTC days some report began on: a day counts as covered when one did.</param>
    public static RolloutAdvice Advise(
        string domain,
        DmarcRecord? published,
        IReadOnlyList<SourceSummary> sources,
        IReadOnlySet<DateOnly> daysWithReports,
        RolloutCriteria criteria,
        DateTimeOffset now)
    {
        var window = ReportCoverage.Window(now, criteria.Days);
        return Advise(domain.ToLowerInvariant(), published, sources, window, [.. window.Where(day => !daysWithReports.Contains(day))], criteria);
    }

    private static RolloutAdvice Advise(
        string domain,
        DmarcRecord? published,
        IReadOnlyList<SourceSummary> sources,
        IReadOnlyList<DateOnly> window,
        IReadOnlyList<DateOnly> missingDays,
        RolloutCriteria criteria)
    {
        var messages = sources.Sum(s => s.Messages);
        var alignedShare = messages == 0 ? 0 : (double)sources.Where(s => s.KnownSource).Sum(s => s.DkimAligned) / messages;
        var daysCovered = window.Count - missingDays.Count;
        var unknown = sources.Where(s => s.Suspicious).ToList();

        if (published is null)
        {
            return new RolloutAdvice(domain, "(none)", true, $"v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}",
                ["no DMARC record: publish p=none with rua to start receiving aggregate reports; it changes no delivery"],
                messages, alignedShare, daysCovered, missingDays, unknown);
        }

        var current = published.Format();
        if (!published.IsValid)
        {
            return new RolloutAdvice(domain, current, false, null, [.. published.Errors.Select(e => "published record: " + e)], messages, alignedShare, daysCovered, missingDays, unknown);
        }

        var next = NextStage(published);
        if (next is null)
        {
            return new RolloutAdvice(domain, current, false, null, ["already at p=reject for all mail: keep reading the reports"], messages, alignedShare, daysCovered, missingDays, unknown);
        }

        var reasons = new List<string>();
        if (published.AggregateReportUris.Count == 0)
        {
            reasons.Add("the record has no rua=: without aggregate reports nothing shows that tightening is safe");
        }

        if (messages < criteria.MinimumMessages)
        {
            reasons.Add($"only {messages} reported messages in the last {criteria.Days} days; at least {criteria.MinimumMessages} are needed");
        }

        if (missingDays.Count > 0)
        {
            reasons.Add($"reports cover {daysCovered} of the last {criteria.Days} days; no report covers {DayList(missingDays)}");
        }

        if (messages > 0 && alignedShare < criteria.AlignedShare)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{alignedShare:P1} of the volume passes DKIM aligned from this relay; {criteria.AlignedShare * 100:0.##} % is needed"));
        }

        foreach (var source in unknown.Take(5))
        {
            reasons.Add($"unknown source {source.SourceIp} ({source.OrgName}): {source.Messages - source.DmarcPass} messages failing DMARC — a spoofer, or a sender to move onto the relay");
        }

        var ready = reasons.Count == 0;
        if (ready)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{alignedShare:P1} of {messages} messages over {daysCovered} days pass DKIM aligned from this relay"));
        }

        return new RolloutAdvice(domain, current, ready, ready ? next.Format() : null, reasons, messages, alignedShare, daysCovered, missingDays, unknown);
    }

    /// <summary>The first missing days by date; a long gap is summed up rather than listed.</summary>
    private static string DayList(IReadOnlyList<DateOnly> days) =>
        string.Join(", ", days.Take(7).Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))) +
        (days.Count > 7 ? $" and {days.Count - 7} more" : string.Empty);

    /// <summary>
    /// The next record of the rollout, keeping everything but the policy step; null at the end. An sp= that
    /// followed p= keeps following it; one set apart is left alone.
    /// </summary>
    private static DmarcRecord? NextStage(DmarcRecord record)
    {
        var next = record switch
        {
            { Policy: "none" } => record with { Policy = "quarantine", Percent = 100 },
            { Policy: "quarantine", Percent: < 100 } => record with { Percent = 100 },
            { Policy: "quarantine" } => record with { Policy = "reject" },
            { Percent: < 100 } => record with { Percent = 100 },
            _ => null,
        };
        return next is not null && record.SubdomainPolicy == record.Policy ? next with { SubdomainPolicy = next.Policy } : next;
    }
}
