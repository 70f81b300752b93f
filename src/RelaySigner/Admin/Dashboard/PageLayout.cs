namespace RelaySigner.Admin.Dashboard;

/// <summary>
/// The frame of every admin page: navigation, the logout button and one small style sheet inline (no CDN, no
/// second request). Laid out for a phone first: tables scroll sideways inside their box, charts scale to the width.
/// </summary>
internal static class PageLayout
{
    private const string Style = """
        :root { color-scheme: light; --fg: #1d2430; --muted: #5b6575; --line: #d9dee6; --bg: #f6f7f9; --relay: #2f6fd6;
                --known: #8a63d2; --unknown: #d9822b; --pass: #1f9d55; --fail: #c53030; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
        header { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; padding: .6rem 1rem; background: #1d2430; color: #fff; }
        header a { color: #fff; text-decoration: none; } header a:hover { text-decoration: underline; }
        header .brand { font-weight: 700; margin-right: auto; }
        header form { margin: 0; } header button { font: inherit; background: none; border: 1px solid #8893a5; color: #fff; border-radius: 4px; padding: .1rem .6rem; cursor: pointer; }
        main { max-width: 1240px; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.4rem; margin: .2rem 0 1rem; word-break: break-word; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; } section.card > h2:first-child { margin-top: .2rem; }
        section.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; margin-bottom: 1rem; }
        .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 1rem; }
        .stats { display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; margin: 0; }
        .stats div { min-width: 7rem; } .stats dt { color: var(--muted); font-size: .85rem; } .stats dd { margin: 0; font-size: 1.35rem; font-weight: 600; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: .92rem; }
        th, td { text-align: left; padding: .35rem .55rem; border-bottom: 1px solid var(--line); white-space: nowrap; }
        th { color: var(--muted); font-weight: 600; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.flag td { background: #fdecea; } .badge { display: inline-block; padding: 0 .45rem; border-radius: 99px; font-size: .8rem; background: var(--line); }
        .badge.flag { background: var(--fail); color: #fff; } .badge.ok { background: var(--pass); color: #fff; } .badge.wait { background: var(--unknown); color: #fff; }
        svg.chart { width: 100%; height: auto; display: block; } svg.chart text { font-size: 11px; fill: var(--muted); }
        .legend { display: flex; flex-wrap: wrap; gap: 1rem; font-size: .85rem; color: var(--muted); margin: .3rem 0 0; padding: 0; list-style: none; }
        .legend span { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .3rem; vertical-align: -1px; }
        code, pre { font: .9rem/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; } pre { background: #f0f2f5; padding: .6rem; border-radius: 6px; white-space: pre-wrap; word-break: break-all; }
        .muted { color: var(--muted); } .error { color: var(--fail); }
        form.login { max-width: 22rem; display: grid; gap: .6rem; } form.login input { font: inherit; padding: .4rem; width: 100%; }
        form.login button { font: inherit; padding: .45rem; background: var(--relay); color: #fff; border: 0; border-radius: 4px; }
        nav.days { margin-bottom: .6rem; } nav.days a { margin: 0 .3rem; color: var(--relay); }
        @media (max-width: 600px) { main { padding: .5rem; } .stats dd { font-size: 1.15rem; } th, td { padding: .3rem .4rem; }
          svg.chart text { font-size: 20px; } }
        """;

    /// <param name="user">The logged-in user shown beside the logout button; null on the login page.</param>
    /// <param name="antiforgeryField">The hidden field the logout form posts, made per response.</param>
    public static string Render(string title, string? user, HtmlFragment antiforgeryField, HtmlFragment body)
    {
        var html = new HtmlWriter();
        html.Add($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · RelaySigner</title><style>{new HtmlFragment(Style)}</style></head>
            <body><header><a class="brand" href="/">RelaySigner</a>
            """);
        if (user is not null)
        {
            html.Add($"""
                <a href="/">Domains</a><a href="/delivery">Delivery</a>
                <form method="post" action="/logout">{antiforgeryField}<button type="submit" title="{user}">Log out</button></form>
                """);
        }

        html.Add($"</header><main>{body}</main></body></html>");
        return html.ToString();
    }
}
