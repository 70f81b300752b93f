using RelaySigner.Core.Feedback;

namespace RelaySigner.Admin.Dashboard;

/// <summary>
/// <c>/delivery?days=7</c>: attempt outcomes per day and per destination domain from the message history, the queue
/// now, and bounce and complaint rates per sending domain where the relay keeps them.
/// </summary>
internal static class DeliveryPage
{
    /// <summary>Most destination domains listed, by attempts.</summary>
    public const int MaxDestinations = 50;

    public static async Task<HtmlFragment> RenderAsync(DashboardSources sources, int days, CancellationToken cancellationToken)
    {
        var window = Numbers.Window(sources.Today, days);
        var from = new DateTimeOffset(window[0].ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var counts = sources.Queue.CountDeliveries(from, from.AddDays(days));
        var perDay = counts.ToLookup(c => c.Day);
        var dayTotals = window.Select(day => DeliveryTotals.Sum(perDay[day])).ToList();
        var queue = sources.Queue.Summarize();
        var oldest = queue.OldestReceivedAt is { } at ? sources.Time.GetUtcNow() - at : (TimeSpan?)null;

        var html = new HtmlWriter();
        html.Add($"""
            <h1>Delivery</h1>
            <nav class="days">Last <a href="?days=1">1</a><a href="?days=7">7</a><a href="?days=30">30</a> days · showing {days} (as far back as the message history is kept)</nav>
            <section class="card"><dl class="stats" id="queue">
            <div><dt>Queued now</dt><dd id="queue-depth">{Numbers.Count(queue.Messages)}</dd></div>
            <div><dt>Oldest queued</dt><dd>{Numbers.Hours(oldest)}</dd></div>
            </dl></section>
            <section class="card"><h2>Recipients per day (attempts)</h2>
            {SvgCharts.StackedBars("delivery", "Delivery attempts per day by outcome", window,
            [
                new ChartSeries("delivered", "--pass", [.. dayTotals.Select(t => t.Delivered)]),
                new ChartSeries("deferred", "--unknown", [.. dayTotals.Select(t => t.Deferred)]),
                new ChartSeries("bounced", "--fail", [.. dayTotals.Select(t => t.Bounced)]),
            ])}
            {SvgCharts.Legend([("delivered", "--pass"), ("deferred", "--unknown"), ("bounced", "--fail")])}
            </section>
            """);
        Table(html, "per-day", "Per day", "Day", window.Select((day, i) => (day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), dayTotals[i])).Reverse());
        var destinations = counts.GroupBy(c => c.Domain).Select(g => (g.Key, DeliveryTotals.Sum(g))).OrderByDescending(d => d.Item2.Attempts).ToList();
        Table(html, "per-destination", "Per destination domain", "Domain", destinations.Take(MaxDestinations));
        if (destinations.Count > MaxDestinations)
        {
            html.Add($"""<p class="muted">and {destinations.Count - MaxDestinations} more domains.</p>""");
        }

        await FeedbackAsync(html, sources, from, cancellationToken).ConfigureAwait(false);
        return html.ToFragment();
    }

    private static void Table(HtmlWriter html, string id, string title, string first, IEnumerable<(string Name, DeliveryTotals Totals)> rows)
    {
        html.Add($"""
            <section class="card"><h2>{title}</h2><div class="scroll"><table id="{id}"><thead><tr><th>{first}</th>
            <th class="num">Delivered</th><th class="num">Deferred</th><th class="num">Bounced</th><th class="num">Bounce rate</th></tr></thead><tbody>
            """);
        foreach (var (name, t) in rows)
        {
            html.Add($"""
                <tr><td>{name}</td><td class="num">{Numbers.Count(t.Delivered)}</td><td class="num">{Numbers.Count(t.Deferred)}</td>
                <td class="num">{Numbers.Count(t.Bounced)}</td><td class="num">{Numbers.Percent(t.Bounced, t.Delivered + t.Bounced)}</td></tr>
                """);
        }

        html.Add($"</tbody></table></div></section>");
    }

    private static async Task FeedbackAsync(HtmlWriter html, DashboardSources sources, DateTimeOffset since, CancellationToken cancellationToken)
    {
        html.Add($"""<section class="card"><h2>Bounces and complaints per sending domain</h2>""");
        if (sources.Feedback is not { } feedback)
        {
            html.Add($"""<p class="muted">Not kept by this relay.</p></section>""");
            return;
        }

        html.Add($"""
            <div class="scroll"><table id="feedback"><thead><tr><th>Domain</th><th class="num">Delivered</th><th class="num">Hard bounces</th>
            <th class="num">Complaints</th><th class="num">Hard-bounce rate</th><th class="num">Complaint rate</th></tr></thead><tbody>
            """);
        foreach (var domain in sources.Keys.SigningKeys.Select(k => k.Domain).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
        {
            FeedbackRates rates = await feedback.GetAsync(domain, since, cancellationToken).ConfigureAwait(false);
            html.Add($"""
                <tr><td>{domain}</td><td class="num">{Numbers.Count(rates.Delivered)}</td><td class="num">{Numbers.Count(rates.HardBounces)}</td>
                <td class="num">{Numbers.Count(rates.Complaints)}</td><td class="num">{rates.HardBounceRate * 100:0.00} %</td>
                <td class="num">{rates.ComplaintRate * 100:0.000} %</td></tr>
                """);
        }

        html.Add($"</tbody></table></div></section>");
    }
}
