using System.Globalization;

namespace RelaySigner.Admin.Dashboard;

/// <summary>
/// Charts drawn on the server as inline SVG: they need no script, no library and no request of their own, scale with
/// the page (viewBox, width 100 %), and every point carries its day and value in a <c>&lt;title&gt;</c> (a tooltip, and
/// what a screen reader says) and in <c>data-</c> attributes.
/// </summary>
internal static class SvgCharts
{
    private const int Width = 640;
    private const int Height = 220;
    private const int Left = 44;
    private const int Right = 10;
    private const int Top = 12;
    private const int Bottom = 26;
    private const int PlotWidth = Width - Left - Right;
    private const int PlotHeight = Height - Top - Bottom;

    /// <summary>A share per day (0–1) as a line; a day without data (null) breaks the line.</summary>
    public static HtmlFragment Line(string id, string label, string color, IReadOnlyList<DateOnly> days, IReadOnlyList<double?> shares)
    {
        var html = Open(id, label);
        foreach (var percent in new[] { 0, 25, 50, 75, 100 })
        {
            var y = Y(percent / 100.0);
            html.Add($"""<line x1="{Left}" x2="{Width - Right}" y1="{y:0.#}" y2="{y:0.#}" stroke="#e3e7ee"/><text x="{Left - 6}" y="{y + 4:0.#}" text-anchor="end">{percent} %</text>""");
        }

        XLabels(html, days);
        var segment = new List<string>();
        for (var i = 0; i <= days.Count; i++)
        {
            if (i < days.Count && shares[i] is { } share)
            {
                segment.Add(string.Create(CultureInfo.InvariantCulture, $"{X(i, days.Count):0.#},{Y(share):0.#}"));
                continue;
            }

            if (segment.Count > 1)
            {
                html.Add($"""<polyline fill="none" stroke="var({color})" stroke-width="2" points="{string.Join(' ', segment)}"/>""");
            }

            segment.Clear();
        }

        for (var i = 0; i < days.Count; i++)
        {
            if (shares[i] is { } share)
            {
                html.Add($"""<circle cx="{X(i, days.Count):0.#}" cy="{Y(share):0.#}" r="3" fill="var({color})" data-day="{days[i]:yyyy-MM-dd}" data-value="{share * 100:0.0}"><title>{days[i]:yyyy-MM-dd}: {share * 100:0.0} %</title></circle>""");
            }
        }

        return Close(html);
    }

    /// <summary>Counts per day as stacked bars, the first series at the bottom.</summary>
    public static HtmlFragment StackedBars(string id, string label, IReadOnlyList<DateOnly> days, IReadOnlyList<ChartSeries> series)
    {
        var html = Open(id, label);
        var max = Enumerable.Range(0, days.Count).Select(i => series.Sum(s => s.Values[i])).DefaultIfEmpty(0).Max();
        var top = NiceCeiling(max);
        foreach (var fraction in new[] { 0, 0.5, 1 })
        {
            var y = Y(fraction);
            html.Add($"""<line x1="{Left}" x2="{Width - Right}" y1="{y:0.#}" y2="{y:0.#}" stroke="#e3e7ee"/><text x="{Left - 6}" y="{y + 4:0.#}" text-anchor="end">{Compact((long)(top * fraction))}</text>""");
        }

        XLabels(html, days);
        var slot = (double)PlotWidth / Math.Max(days.Count, 1);
        var barWidth = Math.Max(slot * 0.7, 1);
        for (var i = 0; i < days.Count; i++)
        {
            double stacked = 0;
            foreach (var s in series)
            {
                var value = s.Values[i];
                if (value == 0)
                {
                    continue;
                }

                var height = PlotHeight * value / (double)top;
                var y = Top + PlotHeight - (PlotHeight * stacked / top) - height;
                html.Add($"""<rect x="{Left + (slot * i) + ((slot - barWidth) / 2):0.##}" y="{y:0.##}" width="{barWidth:0.##}" height="{height:0.##}" fill="var({s.Color})" data-day="{days[i]:yyyy-MM-dd}" data-series="{s.Name}" data-value="{value}"><title>{days[i]:yyyy-MM-dd} {s.Name}: {value:N0}</title></rect>""");
                stacked += value;
            }
        }

        return Close(html);
    }

    /// <summary>The legend under a chart: each series' colour and name.</summary>
    public static HtmlFragment Legend(IEnumerable<(string Name, string Color)> entries)
    {
        var html = new HtmlWriter();
        html.Add($"""<ul class="legend">""");
        foreach (var (name, color) in entries)
        {
            html.Add($"""<li><span style="background:var({color})"></span>{name}</li>""");
        }

        html.Add($"</ul>");
        return html.ToFragment();
    }

    private static HtmlWriter Open(string id, string label)
    {
        var html = new HtmlWriter();
        html.Add($"""<svg class="chart" data-chart="{id}" viewBox="0 0 {Width} {Height}" role="img" aria-label="{label}" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>""");
        return html;
    }

    private static HtmlFragment Close(HtmlWriter html)
    {
        html.Add($"</svg>");
        return html.ToFragment();
    }

    /// <summary>The first, middle and last day under the x axis: enough to read a window of any length on a phone.</summary>
    private static void XLabels(HtmlWriter html, IReadOnlyList<DateOnly> days)
    {
        foreach (var i in new[] { 0, days.Count / 2, days.Count - 1 }.Where(i => i >= 0).Distinct())
        {
            var anchor = i == 0 ? "start" : i == days.Count - 1 ? "end" : "middle";
            html.Add($"""<text x="{X(i, days.Count):0.#}" y="{Height - 8}" text-anchor="{anchor}">{days[i]:MM-dd}</text>""");
        }
    }

    private static double X(int index, int count) => Left + (PlotWidth * (index + 0.5) / Math.Max(count, 1));

    private static double Y(double share) => Top + (PlotHeight * (1 - share));

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="value"/> (and at least 1).</summary>
    private static long NiceCeiling(long value)
    {
        long step = 1;
        while (true)
        {
            foreach (var factor in new long[] { 1, 2, 5 })
            {
                if (factor * step >= value)
                {
                    return factor * step;
                }
            }

            step *= 10;
        }
    }

    private static string Compact(long value) => value switch
    {
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{value / 1_000_000.0:0.#}M"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{value / 1_000.0:0.#}k"),
        _ => value.ToString(CultureInfo.InvariantCulture),
    };
}
