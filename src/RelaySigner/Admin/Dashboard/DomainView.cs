using RelaySigner.Dmarc.Reports;
using RelaySigner.Dmarc.Reports.Store;
using RelaySigner.Dmarc.Rollout;

namespace RelaySigner.Admin.Dashboard;

/// <summary>A domain's reports over a window as the domain page shows them, from the store's sums.</summary>
public sealed record DomainView(
    string Domain,
    IReadOnlyList<DailyVolume> Days,
    ReportTotals Totals,
    IReadOnlyList<SourceRow> Sources,
    IReadOnlyDictionary<System.Net.IPAddress, string> PtrNames,
    PublishedRecord? Published,
    RolloutAdvice? Advice)
{
    /// <summary>Most rows the sources table shows, by volume; the rest are summed up in one line.</summary>
    public const int MaxSourceRows = 100;

    public static async Task<DomainView> LoadAsync(DashboardSources sources, IReportStore store, string domain, int days, CancellationToken cancellationToken)
    {
        var today = sources.Today;
        var window = Numbers.Window(today, days);
        var daily = await store.DailyBySourceAsync(domain, window[0], today, cancellationToken).ConfigureAwait(false);
        var bySource = await store.SourcesAsync(domain, window[0], today, cancellationToken).ConfigureAwait(false);
        var rows = bySource
            .Select(s => (s, sources.Classifier.Classify(s.SourceIp)))
            .Select(x => new SourceRow(x.s.OrgName, x.s.SourceIp, x.Item2.Kind, x.Item2.Name, x.s.Totals))
            .OrderByDescending(r => r.Totals.Messages)
            .ThenBy(r => r.Reporter, StringComparer.Ordinal)
            .ToList();

        // PTR names and the published record are looked up together, within one budget, while the store is read.
        var ptr = sources.Ptr.ResolveAsync(rows.Take(MaxSourceRows).Select(r => r.SourceIp), DashboardSources.DnsBudget, cancellationToken);
        var published = sources.Records.FindAsync(domain, DashboardSources.DnsBudget, cancellationToken);
        var adviceWindow = AdviceWindow(sources);
        var adviceSources = await store.SourcesAsync(domain, adviceWindow[0], adviceWindow[^1], cancellationToken).ConfigureAwait(false);
        // The days of the advice's window are within the page's when it shows 15 days or more: no second read then.
        var adviceDays = window[0] <= adviceWindow[0]
            ? daily.Select(d => d.Day)
            : (await store.DailyBySourceAsync(domain, adviceWindow[0], adviceWindow[^1], cancellationToken).ConfigureAwait(false)).Select(d => d.Day);
        var record = await published.ConfigureAwait(false);
        return new DomainView(domain, Daily(window, daily, sources.Classifier), Sum(rows.Select(r => r.Totals)), rows,
            await ptr.ConfigureAwait(false), record, Advise(sources, domain, record, adviceSources, adviceDays));
    }

    /// <summary>The whole UTC days the rollout advice looks at: the last 14 before today, as <c>dmarc advise</c>.</summary>
    public static IReadOnlyList<DateOnly> AdviceWindow(DashboardSources sources) =>
        ReportCoverage.Window(sources.Time.GetUtcNow(), RolloutCriteria.Default.Days);

    public static ReportTotals Sum(IEnumerable<ReportTotals> totals) => totals.Aggregate(default(ReportTotals), (a, b) => new ReportTotals(
        a.Messages + b.Messages, a.DkimAligned + b.DkimAligned, a.SpfAligned + b.SpfAligned, a.DmarcPass + b.DmarcPass,
        a.Quarantined + b.Quarantined, a.Rejected + b.Rejected));

    /// <summary>
    /// The rollout advice from the sums of <see cref="AdviceWindow"/>, counting the configured other senders' aligned
    /// mail with the relay's; null while the published record is not known.
    /// </summary>
    public static RolloutAdvice? Advise(DashboardSources sources, string domain, PublishedRecord? published, IReadOnlyList<ReporterSourceTotals> totals, IEnumerable<DateOnly> daysWithReports)
    {
        if (published is not { Error: null })
        {
            return null;
        }

        var summaries = totals
            .OrderByDescending(t => t.Totals.Messages)
            .Select(t => new SourceSummary(t.OrgName, domain, t.SourceIp, sources.Classifier.Classify(t.SourceIp).Kind != SourceKind.Unknown,
                t.Totals.Messages, t.Totals.DkimAligned, t.Totals.SpfAligned, t.Totals.DmarcPass, Dispositions(t.Totals)))
            .ToList();
        return RolloutAdvisor.Advise(domain, published.Record, summaries, daysWithReports.ToHashSet(), RolloutCriteria.Default, sources.Time.GetUtcNow());
    }

    private static Dictionary<string, long> Dispositions(ReportTotals totals) => new()
    {
        ["none"] = totals.Messages - totals.Quarantined - totals.Rejected,
        ["quarantine"] = totals.Quarantined,
        ["reject"] = totals.Rejected,
    };

    private static List<DailyVolume> Daily(IReadOnlyList<DateOnly> window, IReadOnlyList<DailySourceTotals> daily, SourceClassifier classifier)
    {
        var byDay = daily.ToLookup(d => d.Day);
        return [.. window.Select(day =>
        {
            var rows = byDay[day].Select(d => (d.Totals, classifier.Classify(d.SourceIp).Kind)).ToList();
            return new DailyVolume(day, Sum(rows.Select(r => r.Totals)),
                rows.Where(r => r.Kind == SourceKind.Relay).Sum(r => r.Totals.Messages),
                rows.Where(r => r.Kind == SourceKind.Known).Sum(r => r.Totals.Messages),
                rows.Where(r => r.Kind == SourceKind.Unknown).Sum(r => r.Totals.Messages));
        })];
    }
}
