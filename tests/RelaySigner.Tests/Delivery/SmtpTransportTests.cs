using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Core.Telemetry;
using RelaySigner.Delivery;
using RelaySigner.Delivery.Routing;
using RelaySigner.Delivery.Transport;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Delivery;

public sealed class SmtpTransportTests
{
    private static readonly QueueId Id = new("0193A1B2C3D4E5F60718293A");
    private const string Sender = "sender@example.test";
    private const string A = "a@dest.test";
    private const string B = "b@dest.test";

    /// <summary>Signed-looking, 8-bit, with lines that need dot-stuffing (including a lone ".").</summary>
    private static readonly byte[] PlainContent = Encoding.UTF8.GetBytes(
        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test; s=sel;\r\n" +
        "\th=from:to:subject:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n" +
        "\tb=dGVzdCBzaWduYXR1cmU=\r\n" +
        "From: Sender <sender@example.test>\r\n" +
        "To: a@dest.test, b@dest.test\r\n" +
        "Subject: Secret subject line\r\n" +
        "Message-ID: <1@example.test>\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: 8bit\r\n" +
        "\r\n" +
        "Hello,\r\n" +
        ".a line that starts with a dot\r\n" +
        "..two dots\r\n" +
        ".\r\n" +
        "Grüße   with trailing spaces   \r\n" +
        "\r\n" +
        "Bye\r\n");

    private static readonly byte[] MultipartContent = Encoding.UTF8.GetBytes(
        "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/simple; d=example.test; s=ed;\r\n" +
        "\th=from:to:subject; bh=frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=; b=c2ln\r\n" +
        "From: sender@example.test\r\n" +
        "To: a@dest.test\r\n" +
        "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/alternative; boundary=\"b1\"\r\n" +
        "\r\n" +
        "preamble\r\n" +
        "--b1\r\n" +
        "Content-Type: text/plain; charset=us-ascii\r\n" +
        "\r\n" +
        "plain part\r\n" +
        ".\r\n" +
        "--b1\r\n" +
        "Content-Type: text/html; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "\r\n" +
        "PHA+R3LDvMOfZTwvcD4=\r\n" +
        "--b1--\r\n" +
        "epilogue\r\n");

    public static TheoryData<string> Contents => ["plain", "multipart"];

    private static byte[] ContentNamed(string name) => name == "plain" ? PlainContent : MultipartContent;

    [Theory]
    [MemberData(nameof(Contents))]
    public async Task All_accepted_are_delivered_with_the_exact_bytes(string contentName)
    {
        var content = ContentNamed(contentName);
        await using var server = new ScriptedSmtpServer(new SmtpScript());
        var logger = new AwaitableLogger<SmtpTransport>();

        var outcomes = await Transport(logger).DeliverAsync(Id, Sender, [A, B], content, Route(server.Port), null, Timeout());

        Assert.Collection(
            outcomes,
            o => AssertOutcome(o, A, RecipientStatus.Delivered, 250, "2.0.0", "Ok: queued as SINK1"),
            o => AssertOutcome(o, B, RecipientStatus.Delivered, 250, "2.0.0", "Ok: queued as SINK1"));

        var session = await server.NextSessionAsync();
        Assert.Equal(Sender, session.MailFrom);
        Assert.Equal([A, B], session.RcptTo);
        Assert.Equal(content, session.Data);
        Assert.True(session.Quit);
        Assert.StartsWith("EHLO relay.test", session.Commands[0], StringComparison.Ordinal);

        var sent = Logged(logger, EventIds.Delivery.RecipientRelayed, A);
        Assert.Equal(("mx1.dest.test", "127.0.0.1", server.Port, "sent"), (sent["Host"], sent["Ip"], sent["Port"], sent["Status"]));
        Assert.Equal(new SmtpReply(250, "2.0.0", "Ok: queued as SINK1"), sent["Reply"]);
        Assert.DoesNotContain(logger.Lines, m => m.Contains("Secret", StringComparison.Ordinal) || m.Contains("Hello", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_5xx_recipient_fails_and_the_message_still_goes_to_the_accepted_one(bool pipelining)
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript
        {
            Extensions = Extensions(pipelining),
            RcptReply = rcpt => rcpt == A ? "550 5.1.1 <a@dest.test>: Recipient address rejected: User unknown" : "250 2.1.5 Ok",
        });

        var outcomes = await Transport().DeliverAsync(Id, Sender, [A, B], PlainContent, Route(server.Port), null, Timeout());

        Assert.Collection(
            outcomes,
            o => AssertOutcome(o, A, RecipientStatus.Failed, 550, "5.1.1", "<a@dest.test>: Recipient address rejected: User unknown"),
            o => AssertOutcome(o, B, RecipientStatus.Delivered, 250, "2.0.0", "Ok: queued as SINK1"));

        var session = await server.NextSessionAsync();
        Assert.Equal([B], session.AcceptedRcptTo);
        Assert.Equal(PlainContent, session.Data);
    }

    [Fact]
    public async Task A_4xx_recipient_stays_pending()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript
        {
            RcptReply = rcpt => rcpt == A ? "450 4.2.1 Mailbox busy, try later" : "250 2.1.5 Ok",
        });

        var outcomes = await Transport().DeliverAsync(Id, Sender, [A, B], PlainContent, Route(server.Port), null, Timeout());

        Assert.Collection(
            outcomes,
            o => AssertOutcome(o, A, RecipientStatus.Pending, 450, "4.2.1", "Mailbox busy, try later"),
            o => AssertOutcome(o, B, RecipientStatus.Delivered, 250, "2.0.0", "Ok: queued as SINK1"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task All_rejected_with_4xx_stay_pending_despite_mailkits_synthesized_554(bool pipelining)
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript
        {
            Extensions = Extensions(pipelining),
            RcptReply = _ => "451 4.7.1 Greylisted, please try again later",
        });
        var logger = new AwaitableLogger<SmtpTransport>();

        var outcomes = await Transport(logger).DeliverAsync(Id, Sender, [A, B], PlainContent, Route(server.Port), null, Timeout());

        Assert.All(outcomes, o => Assert.Equal(RecipientStatus.Pending, o.Status));
        Assert.All(outcomes, o => Assert.Equal(new SmtpReply(451, "4.7.1", "Greylisted, please try again later"), o.Reply));
        Assert.All(outcomes, o => Assert.Equal(new RemoteServer("mx1.dest.test", "127.0.0.1", server.Port, null), o.Server));
        Assert.Equal([A, B], outcomes.Select(o => o.Recipient));

        var session = await server.NextSessionAsync();
        Assert.Null(session.Data);
        Assert.True(session.Quit);
        var deferred = Logged(logger, EventIds.Delivery.RecipientRelayed, B);
        Assert.Equal(("mx1.dest.test", "127.0.0.1", server.Port, "deferred"), (deferred["Host"], deferred["Ip"], deferred["Port"], deferred["Status"]));
        Assert.Equal(new SmtpReply(451, "4.7.1", "Greylisted, please try again later"), deferred["Reply"]);
    }

    [Fact]
    public async Task All_rejected_with_mixed_codes_are_decided_per_recipient()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript
        {
            RcptReply = rcpt => rcpt == A ? "550 5.1.1 User unknown" : "452 4.2.2 Mailbox full",
        });

        var outcomes = await Transport().DeliverAsync(Id, Sender, [A, B], PlainContent, Route(server.Port), null, Timeout());

        Assert.Collection(
            outcomes,
            o => AssertOutcome(o, A, RecipientStatus.Failed, 550, "5.1.1", "User unknown"),
            o => AssertOutcome(o, B, RecipientStatus.Pending, 452, "4.2.2", "Mailbox full"));
    }

    [Fact]
    public async Task A_451_after_the_final_dot_leaves_the_accepted_recipients_pending()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript
        {
            RcptReply = rcpt => rcpt == A ? "550 5.1.1 User unknown" : "250 2.1.5 Ok",
            DataEndReply = "451 4.3.0 Error: queue file write error",
        });

        var outcomes = await Transport().DeliverAsync(Id, Sender, [A, B], PlainContent, Route(server.Port), null, Timeout());

        Assert.Collection(
            outcomes,
            o => AssertOutcome(o, A, RecipientStatus.Failed, 550, "5.1.1", "User unknown"),
            o => AssertOutcome(o, B, RecipientStatus.Pending, 451, "4.3.0", "Error: queue file write error"));
    }

    [Fact]
    public async Task A_5xx_after_the_final_dot_fails_the_accepted_recipients()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript { DataEndReply = "554 5.7.1 Message rejected as spam" });

        var outcomes = await Transport().DeliverAsync(Id, Sender, [A], PlainContent, Route(server.Port), null, Timeout());

        AssertOutcome(Assert.Single(outcomes), A, RecipientStatus.Failed, 554, "5.7.1", "Message rejected as spam");
    }

    [Fact]
    public async Task A_connection_closed_after_the_final_dot_without_reply_leaves_the_recipients_pending()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript { DataEndReply = null });

        var outcomes = await Transport().DeliverAsync(Id, Sender, [A, B], PlainContent, Route(server.Port), null, Timeout());

        Assert.All(outcomes, o =>
        {
            Assert.Equal(RecipientStatus.Pending, o.Status);
            Assert.Equal(451, o.Reply!.Code);
            Assert.Equal("4.4.2", o.Reply.EnhancedCode);
            Assert.StartsWith($"lost connection with mx1.dest.test[127.0.0.1]:{server.Port}", o.Reply.Text, StringComparison.Ordinal);
        });

        var session = await server.NextSessionAsync();
        Assert.Equal(PlainContent, session.Data);
    }

    [Fact]
    public async Task Connection_refused_on_the_first_host_then_delivered_by_the_second()
    {
        using var refusing = RefusingPort(out var refusedPort);
        await using var server = new ScriptedSmtpServer(new SmtpScript());
        var logger = new AwaitableLogger<SmtpTransport>();

        var outcomes = await Transport(logger).DeliverAsync(Id, Sender, [A, B], PlainContent, Route(refusedPort, server.Port), null, Timeout());

        Assert.All(outcomes, o => Assert.Equal(RecipientStatus.Delivered, o.Status));
        var session = await server.NextSessionAsync();
        Assert.Equal(PlainContent, session.Data);
        Assert.Contains(logger.Entries, e => e.EventId == EventIds.Delivery.ConnectionFailed && Equals(e["Host"], "mx1.dest.test") && Equals(e["Port"], refusedPort));
        var sent = Logged(logger, EventIds.Delivery.RecipientRelayed, A);
        Assert.Equal(("mx2.dest.test", "127.0.0.1", server.Port, "sent"), (sent["Host"], sent["Ip"], sent["Port"], sent["Status"]));
        Assert.Equal(new SmtpReply(250, "2.0.0", "Ok: queued as SINK1"), sent["Reply"]);
    }

    [Fact]
    public async Task When_every_address_refuses_all_recipients_stay_pending_with_4_4_1()
    {
        using var refusing1 = RefusingPort(out var port1);
        using var refusing2 = RefusingPort(out var port2);
        var logger = new AwaitableLogger<SmtpTransport>();

        var outcomes = await Transport(logger).DeliverAsync(Id, Sender, [A, B], PlainContent, Route(port1, port2), null, Timeout());

        Assert.All(outcomes, o =>
        {
            Assert.Equal(RecipientStatus.Pending, o.Status);
            Assert.Equal(451, o.Reply!.Code);
            Assert.Equal("4.4.1", o.Reply.EnhancedCode);
            Assert.StartsWith($"connection to mx2.dest.test[127.0.0.1]:{port2}: ", o.Reply.Text, StringComparison.Ordinal);
            Assert.Null(o.Server); // no server answered
        });
        var deferred = Logged(logger, EventIds.Delivery.RecipientNotRelayed, A);
        Assert.Equal("deferred", deferred["Status"]);
        Assert.Equal(outcomes.Single(o => o.Recipient == A).Reply, deferred["Reply"]);
    }

    [Fact]
    public async Task A_refused_greeting_moves_on_to_the_next_host()
    {
        await using var rude = new ScriptedSmtpServer(new SmtpScript { Greeting = "554 5.7.1 No SMTP service here" });
        await using var good = new ScriptedSmtpServer(new SmtpScript());

        var outcomes = await Transport().DeliverAsync(Id, Sender, [A], PlainContent, Route(rude.Port, good.Port), null, Timeout());

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(outcomes).Status);
        Assert.Equal(PlainContent, (await good.NextSessionAsync()).Data);
    }

    [Fact]
    public async Task A_silent_server_times_out_and_the_next_host_delivers()
    {
        await using var silent = new ScriptedSmtpServer(new SmtpScript { Greeting = null });
        await using var good = new ScriptedSmtpServer(new SmtpScript());
        var transport = Transport(configure: o => o.CommandTimeout = TimeSpan.FromMilliseconds(300));

        var outcomes = await transport.DeliverAsync(Id, Sender, [A], PlainContent, Route(silent.Port, good.Port), null, Timeout());

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(outcomes).Status);
    }

    [Fact]
    public async Task A_4xx_to_mail_from_moves_on_to_the_next_host()
    {
        await using var busy = new ScriptedSmtpServer(new SmtpScript { MailReply = "421 4.7.0 Too many connections, try later" });
        await using var good = new ScriptedSmtpServer(new SmtpScript());

        var outcomes = await Transport().DeliverAsync(Id, Sender, [A, B], PlainContent, Route(busy.Port, good.Port), null, Timeout());

        Assert.All(outcomes, o => Assert.Equal(RecipientStatus.Delivered, o.Status));
        Assert.Equal(PlainContent, (await good.NextSessionAsync()).Data);
    }

    [Fact]
    public async Task A_5xx_to_mail_from_fails_every_recipient()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript { MailReply = "553 5.7.1 <sender@example.test>: Sender address rejected" });

        var outcomes = await Transport().DeliverAsync(Id, Sender, [A, B], PlainContent, Route(server.Port), null, Timeout());

        Assert.All(outcomes, o => AssertOutcome(o, o.Recipient, RecipientStatus.Failed, 553, "5.7.1", "<sender@example.test>: Sender address rejected"));
        Assert.Equal([A, B], outcomes.Select(o => o.Recipient));
        Assert.Null((await server.NextSessionAsync()).Data);
    }

    [Fact]
    public async Task The_null_sender_is_sent_as_empty_reverse_path()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript());

        var outcomes = await Transport().DeliverAsync(Id, string.Empty, [A], PlainContent, Route(server.Port), null, Timeout());

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(outcomes).Status);
        var session = await server.NextSessionAsync();
        Assert.Equal(string.Empty, session.MailFrom);
        Assert.Contains(session.Commands, c => c.StartsWith("MAIL FROM:<>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Starttls_is_used_when_offered_and_an_untrusted_certificate_is_accepted_and_logged()
    {
        using var certificate = SelfSignedCertificate();
        await using var server = new ScriptedSmtpServer(new SmtpScript { TlsCertificate = certificate });
        var logger = new AwaitableLogger<SmtpTransport>();

        var outcomes = await Transport(logger).DeliverAsync(Id, Sender, [A, B], PlainContent, Route(server.Port), null, Timeout());

        Assert.All(outcomes, o => Assert.Equal(RecipientStatus.Delivered, o.Status));
        // The history keeps which server answered, and over which TLS.
        Assert.All(outcomes, o => Assert.Equal($"mx1.dest.test[127.0.0.1]:{server.Port}", o.Server?.ToString()));
        Assert.All(outcomes, o => Assert.StartsWith("Tls1", o.Server!.Tls, StringComparison.Ordinal));
        var session = await server.NextSessionAsync();
        Assert.True(session.Tls);
        Assert.Equal(PlainContent, session.Data);
        Assert.Contains(logger.Entries, e => e.EventId == EventIds.Delivery.UntrustedCertificate && Equals(e["Host"], "mx1.dest.test") && Equals(e["Port"], server.Port));
    }

    [Fact]
    public async Task A_destination_that_requires_tls_is_deferred_when_no_host_offers_it_and_sent_to_one_that_does()
    {
        await using var plain = new ScriptedSmtpServer(new SmtpScript());
        var transport = Transport(configure: o => o.RequireTlsDomains.Add("DEST.test"));

        var deferred = await transport.DeliverAsync(Id, Sender, [A], PlainContent, Route(plain.Port), null, Timeout());

        AssertOutcome(deferred[0], A, RecipientStatus.Pending, 451, "4.7.4",
            $"TLS is required for this destination, but mx1.dest.test[127.0.0.1]:{plain.Port} did not offer STARTTLS");
        Assert.Null((await plain.NextSessionAsync()).MailFrom); // not a byte of the message went out in clear

        using var certificate = SelfSignedCertificate();
        await using var secure = new ScriptedSmtpServer(new SmtpScript { TlsCertificate = certificate });
        var delivered = await transport.DeliverAsync(Id, Sender, [A], PlainContent, Route(plain.Port, secure.Port), null, Timeout());

        Assert.Equal(RecipientStatus.Delivered, delivered[0].Status);
        Assert.Null((await plain.NextSessionAsync()).MailFrom);
        var session = await secure.NextSessionAsync();
        Assert.True(session.Tls);
        Assert.Equal(PlainContent, session.Data);
    }

    [Fact]
    public async Task The_smarthost_gets_auth_over_tls_only_and_an_mx_never_gets_auth()
    {
        using var certificate = SelfSignedCertificate();
        await using var plain = new ScriptedSmtpServer(new SmtpScript { OfferAuth = true });
        await using var secure = new ScriptedSmtpServer(new SmtpScript { TlsCertificate = certificate, OfferAuth = true });
        var logger = new AwaitableLogger<SmtpTransport>();
        var transport = Transport(logger, o => { o.SmarthostUser = "relay"; o.SmarthostPassword = "s3cret-pw"; });
        Destination Smarthost(int port) => new($"127.0.0.1:{port}", [new DestinationHost("smarthost.test", [IPAddress.Loopback], port)], IsSmarthost: true);

        // In clear: deferred before AUTH or MAIL, so the password never travels unencrypted.
        var deferred = await transport.DeliverAsync(Id, Sender, [A], PlainContent, Smarthost(plain.Port), null, Timeout());
        Assert.Equal(RecipientStatus.Pending, deferred[0].Status);
        Assert.Equal("4.7.4", deferred[0].Reply!.EnhancedCode);
        var clear = await plain.NextSessionAsync();
        Assert.Null(clear.AuthPlain);
        Assert.DoesNotContain(clear.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));

        var delivered = await transport.DeliverAsync(Id, Sender, [A], PlainContent, Smarthost(secure.Port), null, Timeout());
        Assert.Equal(RecipientStatus.Delivered, delivered[0].Status);
        var session = await secure.NextSessionAsync();
        Assert.True(session.Tls);
        Assert.Equal("\0relay\0s3cret-pw", session.AuthPlain);

        // The same credentials are never offered to an MX host, TLS or not.
        await transport.DeliverAsync(Id, Sender, [A], PlainContent, Route(secure.Port), null, Timeout());
        var mx = await secure.NextSessionAsync();
        Assert.True(mx.Tls);
        Assert.Null(mx.AuthPlain);
        Assert.DoesNotContain(logger.Lines, m => m.Contains("s3cret-pw", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_next_message_to_the_same_host_reuses_the_session_after_rset()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript());
        using var transport = Transport(configure: o => o.ConnectionReuseTime = TimeSpan.FromMinutes(5));

        var first = await transport.DeliverAsync(Id, Sender, [A], PlainContent, Route(server.Port), null, Timeout());
        var second = await transport.DeliverAsync(Id, Sender, [B], MultipartContent, Route(server.Port), null, Timeout());
        transport.Dispose(); // closes the kept session, so the server's record of it is complete

        Assert.Equal(RecipientStatus.Delivered, first[0].Status);
        Assert.Equal(RecipientStatus.Delivered, second[0].Status);
        var session = await server.NextSessionAsync();
        Assert.Equal(1, server.SessionCount);
        var verbs = session.Commands.Select(c => c.Split(' ', ':')[0]).Where(v => v is "MAIL" or "RSET" or "DATA" or "EHLO").ToList();
        Assert.Equal(["EHLO", "MAIL", "DATA", "RSET", "MAIL", "DATA"], verbs);
        Assert.Equal(MultipartContent, session.Data);
    }

    [Fact]
    public async Task A_kept_session_the_server_closed_is_replaced_by_a_new_one()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript { CloseAfterTransaction = true });
        using var transport = Transport(configure: o => o.ConnectionReuseTime = TimeSpan.FromMinutes(5));

        await transport.DeliverAsync(Id, Sender, [A], PlainContent, Route(server.Port), null, Timeout());
        await server.NextSessionAsync(); // the server hung up after its reply
        var second = await transport.DeliverAsync(Id, Sender, [B], PlainContent, Route(server.Port), null, Timeout());

        Assert.Equal(RecipientStatus.Delivered, second[0].Status);
        Assert.Equal(PlainContent, (await server.NextSessionAsync()).Data);
        Assert.Equal(2, server.SessionCount);
    }

    [Fact]
    public async Task A_session_idle_longer_than_the_reuse_time_is_closed()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new ScriptedSmtpServer(new SmtpScript());
        using var transport = Transport(configure: o => o.ConnectionReuseTime = TimeSpan.FromSeconds(5), time: time);

        await transport.DeliverAsync(Id, Sender, [A], PlainContent, Route(server.Port), null, Timeout());
        var closed = server.NextSessionAsync();
        Assert.False(closed.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));

        var session = await closed;
        Assert.Equal(PlainContent, session.Data);
        Assert.False(session.Quit);
        await transport.DeliverAsync(Id, Sender, [B], PlainContent, Route(server.Port), null, Timeout());
        Assert.Equal(2, server.SessionCount);
    }

    [Fact]
    public async Task A_failed_tls_handshake_moves_on_to_the_next_host()
    {
        await using var broken = new ScriptedSmtpServer(new SmtpScript { BreakTlsHandshake = true });
        await using var good = new ScriptedSmtpServer(new SmtpScript());
        var logger = new AwaitableLogger<SmtpTransport>();

        var outcomes = await Transport(logger).DeliverAsync(Id, Sender, [A], PlainContent, Route(broken.Port, good.Port), null, Timeout());

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(outcomes).Status);
        var failed = Assert.Single(logger.Entries, e => e.EventId == EventIds.Delivery.ConnectionFailed);
        Assert.Equal(("mx1.dest.test", broken.Port), (failed["Host"], failed["Port"]));
        Assert.Equal((451, "4.7.5"), (((SmtpReply)failed["Reply"]!).Code, ((SmtpReply)failed["Reply"]!).EnhancedCode));
    }

    [Fact]
    public async Task A_recipient_that_is_not_an_address_fails_and_the_others_are_delivered()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript());

        var outcomes = await Transport().DeliverAsync(Id, Sender, ["not an address@dest.test", B], PlainContent, Route(server.Port), null, Timeout());

        Assert.Equal(RecipientStatus.Failed, outcomes[0].Status);
        Assert.Equal("5.1.3", outcomes[0].Reply!.EnhancedCode);
        Assert.Equal(RecipientStatus.Delivered, outcomes[1].Status);
        Assert.Equal([B], (await server.NextSessionAsync()).RcptTo);
    }

    [Fact]
    public async Task A_utf8_local_part_bounces_when_the_server_lacks_smtputf8()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript());

        var outcomes = await Transport().DeliverAsync(Id, Sender, ["jöran@dest.test", B], PlainContent, Route(server.Port), null, Timeout());

        Assert.Equal(RecipientStatus.Failed, outcomes[0].Status);
        Assert.Equal("5.6.7", outcomes[0].Reply!.EnhancedCode);
        Assert.Equal(RecipientStatus.Delivered, outcomes[1].Status);
        Assert.Equal([B], (await server.NextSessionAsync()).RcptTo);
    }

    [Fact]
    public async Task Cancellation_is_not_turned_into_an_outcome()
    {
        await using var silent = new ScriptedSmtpServer(new SmtpScript { Greeting = null });
        using var cancellation = new CancellationTokenSource();
        var delivery = Transport().DeliverAsync(Id, Sender, [A], PlainContent, Route(silent.Port), null, cancellation.Token);

        await silent.Connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delivery);
    }

    /// <remarks>Sessions are not kept for reuse unless <paramref name="configure"/> says so: most tests read each session.</remarks>
    /// <summary>The one event <paramref name="eventId"/> the transport logged for <paramref name="recipient"/>.</summary>
    private static LogEntry Logged(AwaitableLogger<SmtpTransport> logger, int eventId, string recipient) =>
        Assert.Single(logger.Entries, e => e.EventId == eventId && Equals(e["Recipient"], recipient));

    [Fact]
    public async Task With_a_return_path_domain_each_recipient_gets_its_own_transaction_with_its_verp_sender_on_one_session()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript
        {
            RcptReply = rcpt => rcpt == A ? "550 5.1.1 <a@dest.test>: user unknown" : "250 2.1.5 Ok",
        });

        var outcomes = await Transport(returnPaths: new IndexReturnPaths()).DeliverAsync(
            Id, Sender, [A, B], [3, 5], PlainContent, Route(server.Port), null, Timeout());

        // A refused at RCPT does not keep B from its own transaction.
        Assert.Equal([RecipientStatus.Failed, RecipientStatus.Delivered], outcomes.Select(o => o.Status));
        var session = await server.NextSessionAsync();
        Assert.Equal(["<b-3@bounces.example.test>", "<b-5@bounces.example.test>"], MailFroms(session));
        Assert.Equal(1, server.SessionCount);
    }

    [Fact]
    public async Task A_message_from_the_null_sender_keeps_it_and_goes_in_one_transaction()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript());

        await Transport(returnPaths: new IndexReturnPaths()).DeliverAsync(Id, string.Empty, [A, B], [0, 1], PlainContent, Route(server.Port), null, Timeout());

        var session = await server.NextSessionAsync();
        Assert.Equal(["<>"], MailFroms(session));
        Assert.Equal([A, B], session.RcptTo);
    }

    /// <summary>The reverse paths of the session's MAIL commands, without their parameters.</summary>
    private static List<string> MailFroms(SmtpSessionRecord session) =>
        [.. session.Commands.Where(c => c.StartsWith("MAIL FROM:", StringComparison.OrdinalIgnoreCase)).Select(c => c[10..(c.IndexOf('>') + 1)])];

    /// <summary>VERP for the sample's From domain, naming the recipient by its envelope index.</summary>
    private sealed class IndexReturnPaths : RelaySigner.Core.Delivery.IReturnPaths
    {
        public bool Enabled => true;

        public string? For(QueueId id, int recipientIndex, string fromDomain) =>
            fromDomain == "example.test" ? $"b-{recipientIndex}@bounces.example.test" : null;
    }

    private static SmtpTransport Transport(AwaitableLogger<SmtpTransport>? logger = null, Action<DeliveryOptions>? configure = null, TimeProvider? time = null,
        RelaySigner.Core.Delivery.IReturnPaths? returnPaths = null)
    {
        var options = new DeliveryOptions
        {
            HeloName = "relay.test",
            ConnectTimeout = TimeSpan.FromSeconds(5),
            CommandTimeout = TimeSpan.FromSeconds(10),
            ConnectionReuseTime = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        time ??= TimeProvider.System;
        return new SmtpTransport(Options.Create(options), logger ?? new AwaitableLogger<SmtpTransport>(), time,
            new DestinationLimits(options, time, NullLogger<DestinationLimits>.Instance), returnPaths);
    }

    /// <summary>One host per port, all on 127.0.0.1, named mx1.dest.test, mx2.dest.test, … in order.</summary>
    private static Destination Route(params int[] ports) =>
        new("dest.test", [.. ports.Select((port, i) => new DestinationHost($"mx{i + 1}.dest.test", [IPAddress.Loopback], port))]);

    private static IReadOnlyList<string> Extensions(bool pipelining) =>
        pipelining ? ["PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES"] : ["8BITMIME", "ENHANCEDSTATUSCODES"];

    /// <summary>A loopback port that refuses connections: bound, never listening, so nobody else can take it.</summary>
    private static Socket RefusingPort(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=sink.test", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null);
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private static void AssertOutcome(RecipientOutcome outcome, string recipient, RecipientStatus status, int code, string enhanced, string text)
    {
        Assert.Equal(recipient, outcome.Recipient);
        Assert.Equal(status, outcome.Status);
        Assert.Equal(new SmtpReply(code, enhanced, text), outcome.Reply);
    }
}
