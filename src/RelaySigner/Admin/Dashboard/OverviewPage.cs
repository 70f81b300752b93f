using RelaySigner.Dmarc.Rollout;

namespace RelaySigner.Admin.Dashboard;

/// <summary><c>/</c>: every domain with reports (pass rate, policy, rollout advice) and today's delivery.</summary>
internal static class OverviewPage
{
    /// <summary>Most domains the overview lists (each costs two store reads and a cached DNS lookup).</summary>
    public const int MaxDomains = 100;

    public static async Task<HtmlFragment> RenderAsync(DashboardSources sources, CancellationToken cancellationToken)
    {
        var html = new HtmlWriter();
        html.Add($"<h1>Overview</h1>");
        DeliveryToday(html, sources);
        if (sources.Reports is not { } store)
        {
            html.Add($"""<section class="card"><h2>DMARC reports</h2><p class="muted" id="no-store">No report store: this relay does not collect DMARC reports.</p></section>""");
            return html.ToFragment();
        }

        var domains = await store.DomainsAsync(cancellationToken).ConfigureAwait(false);
        var window = DomainView.AdviceWindow(sources);
        // Every domain's lookups start at once, so the page waits for DNS once, not once per domain.
        var rows = await Task.WhenAll(domains.Take(MaxDomains).Select(async domain =>
        {
            var published = sources.Records.FindAsync(domain, DashboardSources.DnsBudget, cancellationToken);
            var bySource = await store.SourcesAsync(domain, window[0], window[^1], cancellationToken).ConfigureAwait(false);
            var days = await store.DailyBySourceAsync(domain, window[0], window[^1], cancellationToken).ConfigureAwait(false);
            var record = await published.ConfigureAwait(false);
            return (Domain: domain, Totals: DomainView.Sum(bySource.Select(s => s.Totals)), Published: record,
                Advice: DomainView.Advise(sources, domain, record, bySource, days.Select(d => d.Day)));
        })).ConfigureAwait(false);

        html.Add($"""
            <section class="card"><h2>Domains, last {window.Count} days</h2><div class="scroll"><table id="domains">
            <thead><tr><th>Domain</th><th class="num">Messages</th><th class="num">DMARC pass</th><th class="num">DKIM aligned</th>
            <th>Published policy</th><th>Advice</th></tr></thead><tbody>
            """);
        foreach (var row in rows)
        {
            html.Add($"""
                <tr><td><a href="/domains/{Uri.EscapeDataString(row.Domain)}">{row.Domain}</a></td><td class="num">{Numbers.Count(row.Totals.Messages)}</td>
                <td class="num">{Numbers.Percent(row.Totals.DmarcPass, row.Totals.Messages)}</td><td class="num">{Numbers.Percent(row.Totals.DkimAligned, row.Totals.Messages)}</td>
                <td>{Policy(row.Published)}</td><td>{Advice(row.Advice)}</td></tr>
                """);
        }

        html.Add($"</tbody></table></div>");
        if (domains.Count == 0)
        {
            html.Add($"""<p class="muted">No reports yet.</p>""");
        }
        else if (domains.Count > MaxDomains)
        {
            html.Add($"""<p class="muted">and {domains.Count - MaxDomains} more domains (open /domains/NAME).</p>""");
        }

        html.Add($"</section>");
        return html.ToFragment();
    }

    private static string Policy(PublishedRecord? published) => published switch
    {
        null => "looking up…",
        { Error: not null } => "DNS lookup failed",
        { Record: null } => "none published",
        { Record: { } record } => $"p={record.Policy}" + (record.Percent < 100 ? $" pct={record.Percent}" : string.Empty),
    };

    private static string Advice(RolloutAdvice? advice) => advice switch
    {
        null => "–",
        { Ready: true, NextRecord: { } next } => $"ready: publish {next}",
        { Reasons: [var first, ..] } => first,
        _ => "–",
    };

    private static void DeliveryToday(HtmlWriter html, DashboardSources sources)
    {
        var now = sources.Time.GetUtcNow();
        var today = new DateTimeOffset(sources.Today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var totals = DeliveryTotals.Sum(sources.Queue.CountDeliveries(today, now.AddSeconds(1)));
        var queue = sources.Queue.Summarize();
        html.Add($"""
            <section class="card"><h2>Delivery today (UTC)</h2><dl class="stats" id="delivery-today">
            <div><dt>Delivered</dt><dd>{Numbers.Count(totals.Delivered)}</dd></div>
            <div><dt>Deferred</dt><dd>{Numbers.Count(totals.Deferred)}</dd></div>
            <div><dt>Bounced</dt><dd>{Numbers.Count(totals.Bounced)}</dd></div>
            <div><dt>Queued now</dt><dd>{Numbers.Count(queue.Messages)}</dd></div>
            </dl><p><a href="/delivery">Delivery per day and destination</a></p></section>
            """);
    }
}
