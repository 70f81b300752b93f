namespace RelaySigner.Admin.Dashboard;

/// <summary>
/// <c>/domains/{domain}?days=30</c>: the DMARC pass rate per day, the volume per day by sender, the aligned rates, the
/// sources table and the rollout card.
/// </summary>
internal static class DomainPage
{
    public static HtmlFragment Render(DomainView view, int days)
    {
        var html = new HtmlWriter();
        var dates = view.Days.Select(d => d.Day).ToList();
        var t = view.Totals;
        html.Add($"""
            <h1>{view.Domain}</h1>
            <nav class="days">Last <a href="?days=7">7</a><a href="?days=30">30</a><a href="?days=90">90</a> days · showing {days}</nav>
            <section class="card"><dl class="stats">
            <div><dt>Messages reported</dt><dd id="messages">{Numbers.Count(t.Messages)}</dd></div>
            <div><dt>DMARC pass</dt><dd id="pass-rate">{Numbers.Percent(t.DmarcPass, t.Messages)}</dd></div>
            <div><dt>DKIM aligned</dt><dd id="dkim-rate">{Numbers.Percent(t.DkimAligned, t.Messages)}</dd></div>
            <div><dt>SPF aligned</dt><dd id="spf-rate">{Numbers.Percent(t.SpfAligned, t.Messages)}</dd></div>
            <div><dt>Quarantined / rejected</dt><dd>{Numbers.Count(t.Quarantined)} / {Numbers.Count(t.Rejected)}</dd></div>
            </dl></section>
            <div class="grid">
            <section class="card"><h2>DMARC pass rate per day</h2>
            {SvgCharts.Line("pass-rate", $"DMARC pass rate of {view.Domain} per day", "--pass", dates, [.. view.Days.Select(d => Numbers.Share(d.All.DmarcPass, d.All.Messages))])}
            </section>
            <section class="card"><h2>Volume per day</h2>
            {SvgCharts.StackedBars("volume", $"Messages of {view.Domain} per day by sender", dates,
            [
                new ChartSeries("this relay", "--relay", [.. view.Days.Select(d => d.FromRelay)]),
                new ChartSeries("other known", "--known", [.. view.Days.Select(d => d.FromKnown)]),
                new ChartSeries("unknown", "--unknown", [.. view.Days.Select(d => d.FromUnknown)]),
            ])}
            {SvgCharts.Legend([("this relay", "--relay"), ("other known sources", "--known"), ("unknown sources", "--unknown")])}
            </section>
            </div>
            """);
        Rollout(html, view);
        Sources(html, view);
        return html.ToFragment();
    }

    private static void Rollout(HtmlWriter html, DomainView view)
    {
        html.Add($"""<section class="card" id="rollout"><h2>Rollout</h2>""");
        if (view.Published is null)
        {
            html.Add($"""<p class="muted">The published DMARC record is being looked up; reload in a moment.</p></section>""");
            return;
        }

        if (view.Published.Error is not null)
        {
            html.Add($"""<p class="error">The published DMARC record could not be looked up: {view.Published.Error}</p></section>""");
            return;
        }

        var advice = view.Advice!;
        var status = advice.Ready ? new HtmlFragment("""<span class="badge ok">ready</span>""") : new HtmlFragment("""<span class="badge wait">not yet</span>""");
        html.Add($"""
            <p>Published at <code>_dmarc.{view.Domain}</code>: <code id="published">{advice.CurrentRecord}</code></p>
            <p>Next step: {status} Over the last {Dmarc.Rollout.RolloutCriteria.Default.Days} whole days:
            {Numbers.Count(advice.Messages)} messages, {advice.AlignedShare * 100:0.0} % of them DKIM-aligned from this relay and the known senders.</p>
            """);
        if (advice.NextRecord is not null)
        {
            html.Add($"""<p>Publish this TXT record at <code>_dmarc.{view.Domain}</code>:</p><pre id="next-record">{advice.NextRecord}</pre>""");
        }

        html.Add($"""<ul id="reasons">""");
        foreach (var reason in advice.Reasons)
        {
            html.Add($"<li>{reason}</li>");
        }

        html.Add($"</ul></section>");
    }

    private static void Sources(HtmlWriter html, DomainView view)
    {
        html.Add($"""
            <section class="card"><h2>Sources</h2><div class="scroll"><table id="sources">
            <thead><tr><th>Reporter</th><th>Source IP</th><th>PTR name</th><th>Sender</th><th class="num">Messages</th>
            <th class="num">DMARC pass</th><th class="num">DKIM aligned</th><th class="num">SPF aligned</th>
            <th class="num">none / quarantine / reject</th><th></th></tr></thead><tbody>
            """);
        foreach (var row in view.Sources.Take(DomainView.MaxSourceRows))
        {
            var t = row.Totals;
            var sender = row.Kind == SourceKind.Unknown ? "unknown" : row.SenderName;
            var flag = row.UnknownAndFailing ? new HtmlFragment("""<span class="badge flag">unknown and failing</span>""") : HtmlFragment.Empty;
            html.Add($"""
                <tr{(row.UnknownAndFailing ? new HtmlFragment(" class=\"flag\"") : HtmlFragment.Empty)}><td>{row.Reporter}</td><td>{row.SourceIp}</td>
                <td>{view.PtrNames.GetValueOrDefault(row.SourceIp) ?? "–"}</td><td>{sender}</td><td class="num">{Numbers.Count(t.Messages)}</td>
                <td class="num">{Numbers.Percent(t.DmarcPass, t.Messages)}</td><td class="num">{Numbers.Percent(t.DkimAligned, t.Messages)}</td>
                <td class="num">{Numbers.Percent(t.SpfAligned, t.Messages)}</td>
                <td class="num">{Numbers.Count(t.Messages - t.Quarantined - t.Rejected)} / {Numbers.Count(t.Quarantined)} / {Numbers.Count(t.Rejected)}</td><td>{flag}</td></tr>
                """);
        }

        html.Add($"</tbody></table></div>");
        if (view.Sources.Count > DomainView.MaxSourceRows)
        {
            var rest = DomainView.Sum(view.Sources.Skip(DomainView.MaxSourceRows).Select(r => r.Totals));
            html.Add($"""<p class="muted">and {view.Sources.Count - DomainView.MaxSourceRows} more sources with {Numbers.Count(rest.Messages)} messages.</p>""");
        }

        if (view.Sources.Count == 0)
        {
            html.Add($"""<p class="muted">No reports for this domain in the window.</p>""");
        }

        html.Add($"</section>");
    }
}
