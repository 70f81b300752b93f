using System.Net;
using System.Text;
using MailKit.Net.Smtp;
using Microsoft.Extensions.DependencyInjection;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Inbound;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Intake.Listening;
using RelaySigner.Signing.Alignment;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Feedback;

/// <summary>
/// The way back over real sockets: mail leaves with an aligned VERP Return-Path, a bounce for it comes back to the
/// inbound listener and suppresses the recipient; a forged one changes nothing; the listener takes mail only for the
/// relay's own addresses and offers no AUTH. The suppression list is resolved from the host, so the tests run unchanged
/// against the stores' list; until that is registered, an in-memory one stands in.
/// </summary>
public sealed class WayBackTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Mail_leaves_with_an_aligned_verp_return_path_per_recipient_and_a_bounce_for_it_suppresses_the_recipient_and_reaches_the_sender()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartAsync(sink.Endpoint);
        var sent = Submission.Message("app@example.com", "rcpt@example.org");

        await Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org", "second@example.net"], sent);
        var first = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        var second = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);

        // One transaction per recipient, each with its own token, under the return-path domain: SPF-aligned with From.
        var byRecipient = new[] { first, second }.ToDictionary(m => Assert.Single(m.Recipients));
        Assert.Equal(["rcpt@example.org", "second@example.net"], byRecipient.Keys.Order());
        foreach (var message in byRecipient.Values)
        {
            Assert.Matches("^b-[a-z2-7]{40}@bounces\\.example\\.com$", message.Sender);
            Assert.Equal("example.com", PublicSuffixList.Shipped.OrganizationalDomain(message.Sender[(message.Sender.IndexOf('@') + 1)..]));
            Assert.Equal(sent, message.Content[^sent.Length..]);
        }

        Assert.NotEqual(byRecipient["rcpt@example.org"].Sender, byRecipient["second@example.net"].Sender);
        await relay.Logs.WaitForEventAsync(EventIds.Delivery.AttemptDone, Patience);

        // The receiver later bounces rcpt@example.org to its VERP address.
        var returnPath = byRecipient["rcpt@example.org"].Sender;
        var reply = await SendToInboundAsync(relay, returnPath, Bounce(returnPath, "rcpt@example.org", "5.1.1", "550 5.1.1 user unknown"));

        Assert.StartsWith("250 2.0.0", reply);
        var suppressions = relay.Services.GetRequiredService<ISuppressionList>();
        var found = await suppressions.FindAsync("example.com", ["rcpt@example.org", "second@example.net"], CancellationToken.None);
        var entry = Assert.Single(found).Value;
        Assert.Equal(SuppressionReason.HardBounce, entry.Reason);
        Assert.Equal("5.1.1", entry.Status);
        Assert.Equal([RelayEventType.Bounced, RelayEventType.Suppressed],
            OutboxTable.Events(Path.Combine(_folder.Path, "queue")).Where(e => e.Recipient == "rcpt@example.org" && e.Type != RelayEventType.Delivered).Select(e => e.Type));

        // The client's own sender still hears of it: the relay's DSN, from <>.
        var forwarded = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(string.Empty, forwarded.Sender);
        Assert.Equal(["app@example.com"], forwarded.Recipients);
        var notice = Encoding.UTF8.GetString(forwarded.Content);
        Assert.Contains("Final-Recipient: rfc822; rcpt@example.org", notice);
        Assert.Contains("Status: 5.1.1", notice);
    }

    [Fact]
    public async Task A_hard_bounce_goes_the_whole_way_back_to_signed_webhook_posts_and_the_next_message_to_that_recipient_is_refused()
    {
        const string secret = "a webhook secret of at least thirty-two characters";
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartAsync(sink.Endpoint, events: [("Relay:Events:WebhookUrl", receiver.Url), ("Relay:Events:Secret", secret)]);

        await Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], Submission.Message("app@example.com", "rcpt@example.org"));
        var returnPath = (await sink.Received.ReadAsync().AsTask().WaitAsync(Patience)).Sender;
        Assert.Equal("delivered", Type(await receiver.WaitForAsync(e => Type(e) == "delivered", Patience)));
        Assert.StartsWith("250 2.0.0", await SendToInboundAsync(relay, returnPath, Bounce(returnPath, "rcpt@example.org", "5.1.1", "550 5.1.1 user unknown")));

        var bounced = await receiver.WaitForAsync(e => Type(e) == "bounced", Patience);
        var suppressed = await receiver.WaitForAsync(e => Type(e) == "suppressed", Patience);
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Submission.SendAsync(relay.Port, "app@example.com",
            ["rcpt@example.org"], Submission.Message("app@example.com", "rcpt@example.org")));
        var suppressedAtData = await receiver.WaitForAsync(e => Type(e) == "suppressed", Patience);

        Assert.All([bounced, suppressed, suppressedAtData], e => Assert.True(e.Verified && e.Answer == 200));
        Assert.Equal(("rcpt@example.org", "example.com", "hard", "5.1.1"), Fields(bounced));
        Assert.Equal(("rcpt@example.org", "example.com", "hard-bounce", "5.1.1"), Fields(suppressed));
        Assert.Equal(("rcpt@example.org", "example.com", "hard-bounce", "5.1.1"), Fields(suppressedAtData));
        Assert.Equal(550, (int)refused.StatusCode);
        Assert.Contains("5.7.1 recipient suppressed for mail from example.com: hard bounce", refused.Message);
        Assert.DoesNotContain(receiver.Received, e => e.Body.GetRawText().Contains("Subject", StringComparison.OrdinalIgnoreCase));

        static string? Type(WebhookReceiver.ReceivedEvent e) => e.Body.GetProperty("type").GetString();
        static (string?, string?, string?, string?) Fields(WebhookReceiver.ReceivedEvent e) => (e.Body.GetProperty("recipient").GetString(),
            e.Body.GetProperty("fromDomain").GetString(), e.Body.GetProperty("kind").GetString(), e.Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_bounce_with_a_forged_token_changes_nothing_and_gets_250()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartAsync(sink.Endpoint);
        await Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], Submission.Message("app@example.com", "rcpt@example.org"));
        var delivered = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        await relay.Logs.WaitForEventAsync(EventIds.Delivery.AttemptDone, Patience);

        // One character of the token changed (not its case): the MAC no longer checks out.
        var token = delivered.Sender;
        var changed = token[..10] + (token[10] == 'a' ? 'b' : 'a') + token[11..];
        var reply = await SendToInboundAsync(relay, changed, Bounce(changed, "rcpt@example.org", "5.1.1", "550 5.1.1 user unknown"));

        Assert.StartsWith("250", reply);
        await relay.Logs.WaitForEventAsync(EventIds.Feedback.TokenRefused, Patience);
        var suppressions = relay.Services.GetRequiredService<ISuppressionList>();
        Assert.Empty(await suppressions.FindAsync("example.com", ["rcpt@example.org"], CancellationToken.None));
        Assert.DoesNotContain(relay.Logs.Entries, e => e.EventId == EventIds.Feedback.BounceRecorded);
    }

    [Fact]
    public async Task The_inbound_listener_refuses_other_recipients_with_550_5_7_1_and_offers_no_auth()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartAsync(sink.Endpoint);
        var port = relay.Services.GetRequiredService<BoundEndpoints>().Of(ListenerKind.Inbound).Port;

        await using var client = await RawSmtpClient.ConnectAsync(port);
        Assert.StartsWith("220", await client.ReadReplyAsync());
        var ehlo = await client.CommandAsync("EHLO mx.example.org");
        Assert.StartsWith("250", ehlo);
        Assert.DoesNotContain("AUTH", ehlo);
        Assert.StartsWith("502 5.5.1", await client.CommandAsync("AUTH PLAIN AGFwcABzZWNyZXQ="));
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<>"));
        Assert.StartsWith("550 5.7.1", await client.CommandAsync("RCPT TO:<someone@example.org>"));
        Assert.StartsWith("550 5.7.1", await client.CommandAsync("RCPT TO:<b-abc@bounces.example.org>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<fbl@example.com>"));
        await relay.Logs.WaitForEventAsync(EventIds.Intake.InboundRecipientRefused, e => e.Message.Contains("someone@example.org"), Patience);
    }

    [Fact]
    public async Task A_handler_that_fails_gets_the_sender_451_and_a_message_with_a_bare_lf_is_refused_before_any_handler()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var failing = new FailingHandler("reports@example.com");
        await using var relay = await StartAsync(sink.Endpoint, services => services.AddSingleton<IInboundRecipientHandler>(failing));

        var failed = await SendToInboundAsync(relay, "reports@example.com", "From: r@example.org\r\nSubject: report\r\n\r\nbody\r\n"u8.ToArray());
        var smuggled = await SendToInboundAsync(relay, "reports@example.com", "From: r@example.org\r\n\r\nbody\n.\r\nMAIL FROM:<x@y>\r\n"u8.ToArray());

        Assert.StartsWith("451 4.3.0", failed);
        Assert.StartsWith("550 5.6.0", smuggled);
        Assert.Equal(1, failing.Calls);
        await relay.Logs.WaitForEventAsync(EventIds.Intake.InboundHandlerFailed, Patience);
    }

    public void Dispose() => _folder.Dispose();

    /// <param name="events">Where events go: by default to a receiver that never answers, so they stay in the outbox.</param>
    private Task<RelayUnderTest> StartAsync(IPEndPoint sink, Action<IServiceCollection>? more = null, (string Key, string Value)[]? events = null) => RelayUnderTest.StartAsync(
        Path.Combine(_folder.Path, "queue"),
        sink,
        more,
        [
            ("Relay:Dkim:Domains:example.com:ReturnPathDomain", "bounces.example.com"),
            ("Relay:Bounces:SecretPath", Path.Combine(_folder.Path, "bounce-secret.key")),
            ("Relay:Bounces:FeedbackAddresses:0", "fbl@example.com"),
            ("Relay:Inbound:Address", "127.0.0.1"),
            ("Relay:Inbound:Port", "0"),
            .. events ?? OutboxTable.EventsOn,
        ]);

    private static async Task<string> SendToInboundAsync(RelayUnderTest relay, string recipient, byte[] content)
    {
        var port = relay.Services.GetRequiredService<BoundEndpoints>().Of(ListenerKind.Inbound).Port;
        await using var client = await RawSmtpClient.GreetedAsync(port, "mx.example.org");
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<>"));
        Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(content);
        return await client.CommandAsync(".");
    }

    private sealed class FailingHandler(string address) : IInboundRecipientHandler
    {
        public int Calls { get; private set; }

        public bool Owns(string recipient) => recipient == address;

        public Task HandleAsync(InboundMessage message, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
        {
            Calls++;
            throw new IOException("injected: the store is down");
        }
    }

    /// <summary>An RFC 3464 report as a receiving MTA writes it after accepting the message.</summary>
    private static byte[] Bounce(string returnPath, string recipient, string status, string diagnostic) => Encoding.ASCII.GetBytes(
        $"From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\nTo: <{returnPath}>\r\nSubject: Undelivered Mail Returned to Sender\r\n" +
        "Date: Sun, 06 Dec 2026 10:00:00 +0000\r\nMessage-ID: <bounce-1@mx.example.org>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n" +
        "--b1\r\nContent-Type: text/plain\r\n\r\nThe mail system could not deliver your message.\r\n\r\n" +
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n" +
        $"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: {status}\r\nDiagnostic-Code: smtp; {diagnostic}\r\n\r\n" +
        $"--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nReturn-Path: <{returnPath}>\r\nFrom: app@example.com\r\nTo: {recipient}\r\nSubject: hidden\r\n\r\n--b1--\r\n");
}
