using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using Microsoft.Extensions.DependencyInjection;
using RelaySigner.Core.Feedback;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;
using RelaySigner.Tools;
using RelaySigner.Unsubscribe;

namespace RelaySigner.IntegrationTests.Bulk;

/// <summary>
/// Bulk mail through the real relay: each recipient's copy leaves with its own List-Unsubscribe inside a signature
/// dkimpy accepts, and the link's endpoint (real HTTP on loopback) unsubscribes through the suppression list the host
/// resolves: the relay's own store, with events on towards a receiver that never answers, so they stay in the outbox.
/// </summary>
public sealed class OneClickUnsubscribeTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly FormUrlEncodedContent OneClick = new([new("List-Unsubscribe", "One-Click")]);
    private readonly TempFolder _folder = new();

    private async Task<RelayUnderTest> StartRelayAsync(SmtpSink sink, params (string, string)[] settings) =>
        await RelayUnderTest.StartAsync(
            Path.Combine(_folder.Path, "queue"),
            sink.Endpoint,
            services: null,
            [
                ("Relay:Dkim:Domains:example.com:Bulk", "true"),
                ("Relay:Dkim:Domains:example.com:ReturnPathDomain", "bounces.example.com"),
                ("Relay:Unsubscribe:BaseUrl", "https://unsubscribe.example.com"),
                ("Relay:Unsubscribe:Urls", "http://127.0.0.1:0"),
                ("Relay:Unsubscribe:KeyPath", Path.Combine(_folder.Path, "unsubscribe.key")),
                .. OutboxTable.EventsOn,
                .. settings,
            ]);

    private List<(string Recipient, string? FromDomain)> UnsubscribedEvents() =>
        [.. OutboxTable.Events(Path.Combine(_folder.Path, "queue")).Where(e => e.Type == RelayEventType.Unsubscribed).Select(e => (e.Recipient, e.FromDomain))];

    private static HttpClient Http(RelayUnderTest relay) =>
        new() { BaseAddress = relay.Services.GetRequiredService<UnsubscribeAddresses>().Urls.Single(), Timeout = Patience };

    private static async Task<Dictionary<string, byte[]>> SendBulkAsync(RelayUnderTest relay, SmtpSink sink, params string[] recipients)
    {
        var reply = await Submission.SendAsync(relay.Port, "app@example.com", recipients, Submission.Message("news@example.com", "list@example.org"));
        Assert.Contains(recipients.Length > 1 ? $"and {recipients.Length - 1} more, one per recipient" : "queued as", reply);
        var delivered = new Dictionary<string, byte[]>();
        while (delivered.Count < recipients.Length)
        {
            var message = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
            delivered.Add(Assert.Single(message.Recipients), message.Content);
        }

        return delivered;
    }

    /// <summary>The path of the https link, <c>/u/TOKEN</c>.</summary>
    private static string LinkPath(byte[] message) =>
        Regex.Match(Encoding.ASCII.GetString(message), @"List-Unsubscribe: <https://unsubscribe\.example\.com(/u/[A-Za-z0-9_-]+)>").Groups[1].Value;

    [Fact]
    public async Task Each_recipient_gets_its_own_link_inside_a_signature_dkimpy_accepts_and_changing_the_link_breaks_it()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartRelayAsync(sink);

        var delivered = await SendBulkAsync(relay, sink, "alice@example.org", "bob@example.net");

        Assert.NotEqual(LinkPath(delivered["alice@example.org"]), LinkPath(delivered["bob@example.net"]));
        foreach (var message in delivered.Values)
        {
            var text = Encoding.ASCII.GetString(message);
            Assert.Matches(@"\r\nList-Unsubscribe: <https://[^>]+>,\r\n <mailto:u-[a-z2-7]+@bounces\.example\.com>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", text);
            Assert.Matches(@"h=[^;]*list-unsubscribe:list-unsubscribe:list-unsubscribe-post:list-unsubscribe-post", Regex.Replace(text, @"\r\n[ \t]+", string.Empty));
            var (exitCode, output) = await Dkimpy.VerifyAsync(message);
            Assert.True(exitCode == 0, output);

            var otherLink = Encoding.ASCII.GetBytes(text.Replace("/u/", "/u/A", StringComparison.Ordinal));
            var postRemoved = Encoding.ASCII.GetBytes(text.Replace("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", string.Empty, StringComparison.Ordinal));
            Assert.NotEqual(0, (await Dkimpy.VerifyAsync(otherLink)).ExitCode);
            Assert.NotEqual(0, (await Dkimpy.VerifyAsync(postRemoved)).ExitCode);
        }
    }

    [Fact]
    public async Task A_one_click_post_suppresses_the_recipient_and_emits_the_event_before_its_200()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartRelayAsync(sink);
        using var http = Http(relay);
        var delivered = await SendBulkAsync(relay, sink, "alice@example.org", "bob@example.net");

        using var response = await http.PostAsync(LinkPath(delivered["alice@example.org"]), OneClick);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var suppressions = relay.Services.GetRequiredService<ISuppressionList>();
        var found = await suppressions.FindAsync("example.com", ["alice@example.org", "bob@example.net"], CancellationToken.None);
        Assert.Equal(SuppressionReason.Unsubscribe, Assert.Single(found, e => e.Key == "alice@example.org").Value.Reason);
        // Read from the outbox table itself: the webhook sender may hold the event's lease (its receiver never answers).
        Assert.Equal(("alice@example.org", "example.com"), Assert.Single(UnsubscribedEvents()));
    }

    [Fact]
    public async Task A_get_shows_a_button_that_posts_and_changes_nothing()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartRelayAsync(sink);
        using var http = Http(relay);
        var path = LinkPath((await SendBulkAsync(relay, sink, "alice@example.org"))["alice@example.org"]);

        using var response = await http.GetAsync(path);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Contains("<form method=\"post\" action=\"\">", page);
        Assert.Contains("name=\"List-Unsubscribe\" value=\"One-Click\"", page);
        Assert.DoesNotContain("alice", page);
        Assert.Empty(await relay.Services.GetRequiredService<ISuppressionList>().FindAsync("example.com", ["alice@example.org"], CancellationToken.None));
    }

    [Fact]
    public async Task Bad_tokens_and_bodies_get_4xx_and_change_nothing()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartRelayAsync(sink, ("Relay:Unsubscribe:MaxRequestBodySize", "64"));
        using var http = Http(relay);
        var path = LinkPath((await SendBulkAsync(relay, sink, "alice@example.org"))["alice@example.org"]);
        var forged = path[..^2] + (path[^2] == 'A' ? "B" : "A") + path[^1];

        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/u/not-a-token", OneClick)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/u/not-a-token")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync(forged, OneClick)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(path, new FormUrlEncodedContent([new("List-Unsubscribe", "Yes")]))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await http.PostAsync(path, new StringContent("List-Unsubscribe=One-Click"))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.PostAsync(path, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click"), new("pad", new string('x', 100))]))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PutAsync(path, OneClick)).StatusCode);

        Assert.Empty(await relay.Services.GetRequiredService<ISuppressionList>().FindAsync("example.com", ["alice@example.org"], CancellationToken.None));
        Assert.Empty(UnsubscribedEvents());
    }

    [Fact]
    public async Task Under_require_bulk_mail_without_its_own_unsubscribe_is_refused_with_the_reason()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartRelayAsync(sink, ("Relay:Unsubscribe:Require", "true"));

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Submission.SendAsync(relay.Port, "app@example.com", ["alice@example.org"], Submission.Message("news@example.com", "alice@example.org")));

        Assert.Equal(550, (int)refused.StatusCode);
        Assert.Contains("5.7.1 bulk mail must carry its own one-click unsubscribe", refused.Message);
    }

    [Fact]
    public async Task Over_https_the_endpoint_presents_the_relays_certificate()
    {
        var (certificate, key) = TestCertificate.WritePem(_folder.Path);
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartRelayAsync(sink,
            ("Relay:Unsubscribe:Urls", "https://127.0.0.1:0"), ("Relay:Smtp:Tls:CertificatePath", certificate), ("Relay:Smtp:Tls:KeyPath", key));
        var path = LinkPath((await SendBulkAsync(relay, sink, "alice@example.org"))["alice@example.org"]);
        string? presented = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => (presented = cert?.Subject) is not null,
        };
        using var https = new HttpClient(handler) { BaseAddress = relay.Services.GetRequiredService<UnsubscribeAddresses>().Urls.Single(), Timeout = Patience };

        using var response = await https.PostAsync(path, OneClick);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CN=localhost", presented);
    }

    public void Dispose() => _folder.Dispose();
}
