using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Inbound;
using RelaySigner.Feedback;
using RelaySigner.Feedback.Inbound;
using RelaySigner.Feedback.Parsing;
using RelaySigner.Feedback.Tokens;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Feedback;

public sealed class BounceHandlerTests
{
    private static readonly VerpTokenCodec Codec = new(BounceSecret.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()));
    private static readonly QueueId Id = new("0193A1B2C3D4E5F6A7B8C");
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    private readonly InMemorySuppressionList _suppressions = new();
    private readonly SentMessagesStub _sent = new();
    private readonly ForwardingSpy _forwarded = new();

    private static string ReturnPath(int index) => Codec.EncodeAddress(new VerpToken(Id, index), "bounces.example.com");

    [Fact]
    public async Task A_hard_bounce_suppresses_the_recipient_the_token_names_in_its_organisational_domain_and_reaches_the_sender()
    {
        _sent.Add(new SentMessage(Id, "app@example.com", "m1@example.com", Now, ["first@example.org", "rcpt@example.org"], "news.example.com"));

        await Handler().HandleAsync(Message(Dsn(ReturnPath(1), "rcpt@example.org", "5.1.1")), [ReturnPath(1)], CancellationToken.None);

        var entry = Assert.Single(_suppressions.Entries);
        Assert.Equal(new Suppression("example.com", "rcpt@example.org", SuppressionReason.HardBounce, Now, "5.1.1", Id), entry);
        Assert.Equal(
            [(RelayEventType.Bounced, "hard"), (RelayEventType.Suppressed, "hard-bounce")],
            _suppressions.Events.Select(e => (e.Type, e.Kind)));
        Assert.All(_suppressions.Events, e => Assert.Equal(("rcpt@example.org", Id, "m1@example.com", "news.example.com", "5.1.1"), (e.Recipient, e.QueueId!.Value, e.MessageId, e.FromDomain, e.Status)));
        Assert.Equal([("app@example.com", "rcpt@example.org", "5.1.1")], _forwarded.Calls);
    }

    [Theory]
    [InlineData("5.7.1", "550 5.7.1 message rejected as spam by content filter", "block")]
    [InlineData("4.2.2", "452 4.2.2 mailbox full", "soft")]
    public async Task A_block_or_a_soft_bounce_is_only_a_bounced_event_and_never_suppresses(string status, string diagnostic, string kind)
    {
        _sent.Add(new SentMessage(Id, "app@example.com", null, Now, ["rcpt@example.org"]));

        await Handler().HandleAsync(Message(Dsn(ReturnPath(0), "rcpt@example.org", status, diagnostic)), [ReturnPath(0)], CancellationToken.None);

        Assert.Empty(_suppressions.Entries);
        var bounced = Assert.Single(_suppressions.Events);
        Assert.Equal((RelayEventType.Bounced, kind), (bounced.Type, bounced.Kind));
        Assert.Empty(_forwarded.Calls);
    }

    [Fact]
    public async Task A_forged_token_changes_nothing()
    {
        _sent.Add(new SentMessage(Id, "app@example.com", null, Now, ["rcpt@example.org"]));
        var genuine = ReturnPath(0);
        var forged = genuine[..5] + (genuine[5] == 'a' ? 'b' : 'a') + genuine[6..];

        var handler = Handler();
        await handler.HandleAsync(Message(Dsn(forged, "rcpt@example.org", "5.1.1")), [forged], CancellationToken.None);

        Assert.True(handler.Owns(forged)); // accepted (250), so the forger learns nothing
        Assert.Empty(_suppressions.Entries);
        Assert.Empty(_suppressions.Events);
        Assert.Empty(_forwarded.Calls);
    }

    [Fact]
    public async Task Once_the_history_is_pruned_the_recipient_is_the_one_the_report_names_and_nothing_is_forwarded()
    {
        await Handler().HandleAsync(Message(Dsn(ReturnPath(3), "gone@example.org", "5.1.1")), [ReturnPath(3)], CancellationToken.None);

        Assert.Equal("gone@example.org", Assert.Single(_suppressions.Entries).Recipient);
        Assert.Empty(_forwarded.Calls);
    }

    [Fact]
    public async Task A_hard_bounce_of_a_message_from_the_null_sender_or_with_forwarding_off_is_not_forwarded()
    {
        _sent.Add(new SentMessage(Id, string.Empty, null, Now, ["rcpt@example.org"]));
        await Handler().HandleAsync(Message(Dsn(ReturnPath(0), "rcpt@example.org", "5.1.1")), [ReturnPath(0)], CancellationToken.None);

        _sent.Add(new SentMessage(Id, "app@example.com", null, Now, ["rcpt@example.org"]));
        await Handler(forward: false).HandleAsync(Message(Dsn(ReturnPath(0), "rcpt@example.org", "5.1.1")), [ReturnPath(0)], CancellationToken.None);

        Assert.Empty(_forwarded.Calls);
        Assert.Single(_suppressions.Entries);
    }

    [Fact]
    public async Task A_complaint_to_the_feedback_address_is_matched_by_the_return_path_it_quotes()
    {
        _sent.Add(new SentMessage(Id, "app@example.com", null, Now, ["rcpt@example.org"]));

        await Handler().HandleAsync(Message(Complaint("rcpt@example.org", $"Return-Path: <{ReturnPath(0)}>\r\n")), ["fbl@example.com"], CancellationToken.None);

        var entry = Assert.Single(_suppressions.Entries);
        Assert.Equal((SuppressionReason.Complaint, "example.com", "rcpt@example.org"), (entry.Reason, entry.Domain, entry.Recipient));
        Assert.Equal([RelayEventType.Complained, RelayEventType.Suppressed], _suppressions.Events.Select(e => e.Type));
        Assert.Empty(_forwarded.Calls);
    }

    [Fact]
    public async Task A_complaint_without_a_token_is_taken_only_for_a_message_id_the_relay_sent_to_that_recipient()
    {
        _sent.Add(new SentMessage(Id, "app@example.com", "m1@example.com", Now, ["rcpt@example.org"]));
        var handler = Handler();

        await handler.HandleAsync(Message(Complaint("other@example.org", "Message-ID: <m1@example.com>\r\n")), ["fbl@example.com"], CancellationToken.None);
        await handler.HandleAsync(Message(Complaint("rcpt@example.org", "Message-ID: <unknown@example.com>\r\n")), ["fbl@example.com"], CancellationToken.None);
        Assert.Empty(_suppressions.Entries);

        await handler.HandleAsync(Message(Complaint("rcpt@example.org", "Message-ID: <m1@example.com>\r\n")), ["FBL@example.com"], CancellationToken.None);
        Assert.Equal(("example.com", SuppressionReason.Complaint), (Assert.Single(_suppressions.Entries).Domain, Assert.Single(_suppressions.Entries).Reason));
    }

    [Fact]
    public async Task An_automatic_reply_changes_nothing()
    {
        _sent.Add(new SentMessage(Id, "app@example.com", null, Now, ["rcpt@example.org"]));
        var reply = Encoding.ASCII.GetBytes(
            "From: rcpt@example.org\r\nTo: app@example.com\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\n\r\nI am away until Monday.\r\n");

        await Handler().HandleAsync(Message(reply), [ReturnPath(0)], CancellationToken.None);

        Assert.Empty(_suppressions.Events);
        Assert.Empty(_suppressions.Entries);
    }

    [Fact]
    public async Task A_store_that_fails_makes_the_handler_throw_so_the_listener_answers_451()
    {
        _sent.Add(new SentMessage(Id, "app@example.com", null, Now, ["rcpt@example.org"]));
        _suppressions.FailNext = true;

        await Assert.ThrowsAsync<IOException>(() =>
            Handler().HandleAsync(Message(Dsn(ReturnPath(0), "rcpt@example.org", "5.1.1")), [ReturnPath(0)], CancellationToken.None));
        Assert.Empty(_forwarded.Calls);
    }

    [Theory]
    [InlineData("b-anything@bounces.example.com", true)]
    [InlineData("B-ANYTHING@BOUNCES.EXAMPLE.COM", true)]
    [InlineData("fbl@EXAMPLE.com", true)]
    [InlineData("b-anything@example.com", false)]
    [InlineData("postmaster@bounces.example.com", false)]
    [InlineData("someone@example.org", false)]
    public void It_owns_the_return_paths_and_the_feedback_addresses_only(string recipient, bool owned) =>
        Assert.Equal(owned, Handler().Owns(recipient));

    private BounceHandler Handler(bool forward = true) => new(
        Codec,
        new FeedbackParser(),
        new Directory(),
        _sent,
        _suppressions,
        _forwarded,
        Options.Create(new BounceOptions { FeedbackAddresses = ["fbl@example.com"], ForwardToSender = forward }),
        new FakeTimeProvider(Now),
        NullLogger<BounceHandler>.Instance);

    private static InboundMessage Message(byte[] content) => new(string.Empty, IPAddress.Loopback, content);

    private static byte[] Dsn(string returnPath, string recipient, string status, string? diagnostic = null) => Encoding.ASCII.GetBytes(
        $"From: MAILER-DAEMON@mx.example.org\r\nTo: <{returnPath}>\r\nSubject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n" +
        "--b1\r\nContent-Type: text/plain\r\n\r\nThe message could not be delivered.\r\n\r\n" +
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n" +
        $"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: {status}\r\nDiagnostic-Code: smtp; {diagnostic ?? $"550 {status} user unknown"}\r\n\r\n" +
        "--b1--\r\n");

    private static byte[] Complaint(string recipient, string originalHeader) => Encoding.ASCII.GetBytes(
        "From: feedback@provider.example\r\nTo: fbl@example.com\r\nSubject: complaint\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: multipart/report; report-type=feedback-report; boundary=\"f1\"\r\n\r\n" +
        "--f1\r\nContent-Type: text/plain\r\n\r\nThis is an abuse report.\r\n\r\n" +
        $"--f1\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nUser-Agent: test/1.0\r\nVersion: 1\r\nOriginal-Rcpt-To: <{recipient}>\r\n\r\n" +
        $"--f1\r\nContent-Type: text/rfc822-headers\r\n\r\n{originalHeader}From: app@example.com\r\nSubject: offer\r\n\r\n--f1--\r\n");

    private sealed class Directory : IReturnPathDirectory
    {
        public bool IsReturnPathDomain(string domain) => domain.Equals("bounces.example.com", StringComparison.OrdinalIgnoreCase);

        public string? OrganisationalDomain(string domain) => string.Join('.', domain.ToLowerInvariant().Split('.')[^2..]);
    }

    private sealed class SentMessagesStub : ISentMessages
    {
        private SentMessage? _message;

        public void Add(SentMessage message) => _message = message;

        public Task<SentMessage?> FindAsync(QueueId id, CancellationToken cancellationToken) =>
            Task.FromResult(_message?.Id == id ? _message : null);

        public Task<IReadOnlyList<SentMessage>> FindByMessageIdAsync(string messageId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<SentMessage>>(_message?.MessageId == messageId ? [_message] : []);
    }

    private sealed class ForwardingSpy : IBounceForwarding
    {
        public List<(string Sender, string Recipient, string? Status)> Calls { get; } = [];

        public Task ForwardAsync(SentMessage original, string recipient, string? status, CancellationToken cancellationToken)
        {
            Calls.Add((original.Sender, recipient, status));
            return Task.CompletedTask;
        }
    }
}
