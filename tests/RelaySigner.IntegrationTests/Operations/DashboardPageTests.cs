using System.Net;
using RelaySigner.IntegrationTests.Fixtures;

namespace RelaySigner.IntegrationTests.Operations;

/// <summary>The dashboard's pages over real HTTP, on a known set of reports and a real DNS server.</summary>
public sealed class DashboardPageTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_domain_page_shows_the_rates_volumes_sources_and_rollout_of_the_known_reports_all_encoded()
    {
        await using var relay = await DashboardRelay.StartAsync();
        using var session = new AdminBrowserSession(relay.BaseAddress);

        // PTR names and the DMARC record come within the page's DNS budget or at a later view, from the cache.
        var html = await session.GetUntilAsync(relay.Token, $"/domains/{KnownReports.Domain}?days=30", "relay.example.com");

        Assert.Contains("""<dd id="messages">1,751</dd>""", html);
        Assert.Contains("""<dd id="pass-rate">95.9 %</dd>""", html);
        Assert.Contains("""<dd id="dkim-rate">95.9 %</dd>""", html);
        Assert.Contains("""<dd id="spf-rate">80.0 %</dd>""", html);
        // 14 days of reports: 14 points on the pass-rate line, 3 senders' bars each day (the hostile report's day has 4 sources, 3 kinds).
        var passChart = Between(html, "data-chart=\"pass-rate\"", "</svg>");
        Assert.Equal(14, Count(passChart, "<circle"));
        Assert.Contains("data-value=\"96.0\"", passChart); // 120 of 125 on a day without the hostile report
        var volume = Between(html, "data-chart=\"volume\"", "</svg>");
        Assert.Equal(14, Count(volume, "data-series=\"this relay\" data-value=\"100\""));
        Assert.Equal(14, Count(volume, "data-series=\"other known\" data-value=\"20\""));
        Assert.Equal(13, Count(volume, "data-series=\"unknown\" data-value=\"5\""));
        Assert.Equal(1, Count(volume, "data-series=\"unknown\" data-value=\"6\""));

        var sources = Between(html, "<table id=\"sources\">", "</table>");
        Assert.Contains("<td>192.0.2.10</td>", sources);
        Assert.Contains("<td>relay.example.com</td>", sources);
        Assert.Contains("<td>Newsletter service</td>", sources);
        Assert.Equal(2, Count(sources, "unknown and failing"));
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Mail", sources);

        var rollout = Between(html, "<section class=\"card\" id=\"rollout\">", "</section>");
        Assert.Contains("v=DMARC1; p=none; rua=mailto:dmarc@example.com", rollout);
        Assert.Contains("not yet", rollout);
        Assert.Contains("unknown source 203.0.113.66 (google.com): 70 messages failing DMARC", rollout);
        Assert.DoesNotContain("next-record", rollout);
    }

    [Fact]
    public async Task A_domain_ready_for_the_next_step_gets_the_exact_txt_record_and_the_overview_lists_both_domains()
    {
        await using var relay = await DashboardRelay.StartAsync();
        using var session = new AdminBrowserSession(relay.BaseAddress);

        var html = await session.GetUntilAsync(relay.Token, $"/domains/{KnownReports.ReadyDomain}", "id=\"next-record\"");
        Assert.Contains("<pre id=\"next-record\">v=DMARC1; p=quarantine; rua=mailto:dmarc@ready.example</pre>", html);

        var overview = await session.GetUntilAsync(relay.Token, "/", "ready: publish");
        var domains = Between(overview, "<table id=\"domains\">", "</table>");
        Assert.Contains("<a href=\"/domains/example.com\">example.com</a>", domains);
        Assert.Contains("<td class=\"num\">1,751</td>", domains);
        Assert.Contains("<td>p=none</td>", domains);
        Assert.Contains("ready: publish v=DMARC1; p=quarantine; rua=mailto:dmarc@ready.example", domains);
    }

    [Fact]
    public async Task Without_a_report_store_the_pages_say_so_and_still_show_delivery()
    {
        await using var relay = await DashboardRelay.StartAsync(withStore: false);
        using var session = new AdminBrowserSession(relay.BaseAddress);

        using var overview = await session.GetAsync("/", relay.Token);
        using var domain = await session.GetAsync("/domains/example.com", relay.Token);

        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        var html = await overview.Content.ReadAsStringAsync();
        Assert.Contains("No report store", html);
        Assert.Contains("id=\"delivery-today\"", html);
        Assert.Contains("No report store", await domain.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_delivery_page_counts_a_delivered_message_per_day_and_destination_and_the_queue_now()
    {
        await using var relay = await DashboardRelay.StartAsync();
        using var session = new AdminBrowserSession(relay.BaseAddress);
        const string Recipient = "someone@dashboard-delivery.example.org";
        await Submission.SendAsync(relay.Relay.Port, "app@example.com", [Recipient], Submission.Message("app@example.com", Recipient, "dashboard-secret-subject"));
        await relay.Relay.Logs.WaitForEventAsync(RelaySigner.Core.Telemetry.EventIds.Queue.Removed, Patience);

        using var page = await session.GetAsync("/delivery?days=7", relay.Token);
        var html = await page.Content.ReadAsStringAsync();

        var destinations = Between(html, "<table id=\"per-destination\">", "</table>");
        Assert.Contains("<tr><td>dashboard-delivery.example.org</td><td class=\"num\">1</td><td class=\"num\">0</td>", destinations);
        Assert.Contains("<dd id=\"queue-depth\">0</dd>", html);
        Assert.Contains("data-series=\"delivered\" data-value=\"1\"", Between(html, "data-chart=\"delivery\"", "</svg>"));
        Assert.DoesNotContain("dashboard-secret-subject", html);
        // The sending domain's counts come from the store's feedback counts, written with the attempt.
        Assert.Contains("<tr><td>example.com</td><td class=\"num\">1</td>", Between(html, "<table id=\"feedback\">", "</table>"));
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' not on the page");
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
