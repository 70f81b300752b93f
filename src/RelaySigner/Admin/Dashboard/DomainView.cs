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

        // PTR names and the published record are looked up together, within one budget.
        var ptr = sources.Ptr.ResolveAsync(rows.Take(MaxSourceRows).Select(r => r.SourceIp), DashboardSources.DnsBudget, cancellationToken);
        var published = sources.Records.FindAsync(domain, DashboardSources.DnsBudget, cancellationToken);
        var advice = AdviseAsync(sources, store, domain, published, cancellationToken);
        return new DomainView(domain, Daily(window, daily, sources.Classifier), Sum(rows.Select(r => r.Totals)), rows,
            await ptr.ConfigureAwait(false), await published.ConfigureAwait(false), await advice.ConfigureAwait(false));
    }

    public static ReportTotals Sum(IEnumerable<ReportTotals> totals) => totals.Aggregate(default(ReportTotals), (a, b) => new ReportTotals(
        a.Messages + b.Messages, a.DkimAligned + b.DkimAligned, a.SpfAligned + b.SpfAligned, a.DmarcPass + b.DmarcPass,
        a.Quarantined + b.Quarantined, a.Rejected + b.Rejected));

    /// <summary>
    /// The rollout advice over its own window (the last 14 whole days, as <c>dmarc advise</c>), counting the configured
    /// other senders' aligned mail with the relay's; null while the published record is not known.
    /// </summary>
    public static async Task<RolloutAdvice?> AdviseAsync(DashboardSources sources, IReportStore store, string domain, Task<PublishedRecord?> published, CancellationToken cancellationToken)
    {
        var criteria = RolloutCriteria.Default;
        var now = sources.Time.GetUtcNow();
        var window = ReportCoverage.Window(now, criteria.Days);
        var totals = await store.SourcesAsync(domain, window[0], window[^1], cancellationToken).ConfigureAwait(false);
        var days = await store.DailyBySourceAsync(domain, window[0], window[^1], cancellationToken).ConfigureAwait(false);
        if (await published.ConfigureAwait(false) is not { Error: null } record)
        {
            return null;
        }

        var summaries = totals
            .OrderByDescending(t => t.Totals.Messages)
            .Select(t => new SourceSummary(t.OrgName, domain, t.SourceIp, sources.Classifier.Classify(t.SourceIp).Kind != SourceKind.Unknown,
                t.Totals.Messages, t.Totals.DkimAligned, t.Totals.SpfAligned, t.Totals.DmarcPass, Dispositions(t.Totals)))
            .ToList();
        return RolloutAdvisor.Advise(domain, record.Record, summaries, days.Select(d => d.Day).ToHashSet(), criteria, now);
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
