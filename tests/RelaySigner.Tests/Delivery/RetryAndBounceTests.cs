using System.Text;
using MimeKit;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Tests.Delivery;

/// <summary>
/// The delivery engine against a fault-injecting SMTP server on loopback, on fake time: what is retried when, what
/// bounces, and that nothing accepted is dropped.
/// </summary>
public sealed class RetryAndBounceTests
{
    private const string Sender = "sender@example.test";

    private static SmtpScript Replying(string dataEndReply) => new() { DataEndReply = dataEndReply };

    [Fact]
    public async Task Temporary_failures_are_retried_on_the_jittered_schedule_until_the_server_takes_the_message()
    {
        // 451 to the first three attempts, then 250.
        await using var server = new ScriptedSmtpServer(n => Replying(n < 3 ? "451 4.3.0 try again later" : "250 2.0.0 Ok"));
        await using var engine = new DeliveryEngine(server.Port);
        await engine.StartAsync();
        var id = await engine.EnqueueAsync(Sender, "a@dest.test");

        var waits = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal(new AttemptCounts(0, 0, 1), await engine.AttemptDoneAsync(id, attempt));
            waits.Add(await engine.AdvanceToNextDueAsync());
        }

        Assert.Equal(new AttemptCounts(1, 0, 0), await engine.AttemptDoneAsync(id, 4));
        Assert.Equal(4, server.SessionCount);
        Assert.Null(await engine.Queue.NextDueAtAsync(CancellationToken.None));

        // Steps 1, 5 and 15 minutes, each within ±10 % jitter, and not exactly on the step.
        TimeSpan[] steps = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)];
        for (var i = 0; i < steps.Length; i++)
        {
            Assert.InRange(waits[i], steps[i] * 0.9, steps[i] * 1.1);
        }

        Assert.Contains(waits, w => !steps.Contains(w));
        byte[]? delivered = null;
        for (var i = 0; i < 4; i++)
        {
            delivered = (await server.NextSessionAsync()).Data ?? delivered;
        }

        Assert.Equal(DeliveryEngine.Content, delivered);
    }

    [Fact]
    public async Task A_5xx_for_one_of_three_recipients_delivers_the_two_and_bounces_the_one_to_the_sender()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript
        {
            RcptReply = address => address.StartsWith("bad@", StringComparison.Ordinal) ? "550 5.1.1 no such user" : "250 2.1.5 Ok",
        });
        await using var engine = new DeliveryEngine(server.Port);
        await engine.StartAsync();
        var id = await engine.EnqueueAsync(Sender, "a@dest.test", "bad@dest.test", "b@dest.test");

        Assert.Equal(new AttemptCounts(2, 1, 0), await engine.AttemptDoneAsync(id, 1));
        var notification = await engine.NotificationQueuedAsync(id);

        var original = await server.NextSessionAsync();
        Assert.Equal(["a@dest.test", "bad@dest.test", "b@dest.test"], original.RcptTo);
        Assert.Equal(["a@dest.test", "b@dest.test"], original.AcceptedRcptTo);
        Assert.Equal(DeliveryEngine.Content, original.Data);

        // The DSN is queued and delivered like any message: from <> to the envelope sender.
        var dsn = await server.NextSessionAsync();
        Assert.Equal(string.Empty, dsn.MailFrom);
        Assert.Equal([Sender], dsn.RcptTo);
        var report = MimeMessage.Load(new MemoryStream(dsn.Data!));
        Assert.Equal("MAILER-DAEMON@relay.test", report.From.Mailboxes.Single().Address);
        Assert.Equal(Sender, report.To.Mailboxes.Single().Address);
        Assert.Equal("auto-replied", report.Headers["Auto-Submitted"]);
        var multipart = Assert.IsType<MultipartReport>(report.Body);
        Assert.Equal("delivery-status", multipart.ReportType);
        var status = Assert.IsType<MessageDeliveryStatus>(multipart[1]);
        Assert.Equal("dns; relay.test", status.StatusGroups[0]["Reporting-MTA"]);
        var recipient = Assert.Single(status.StatusGroups.Skip(1), group => group.Count > 0); // MimeKit reads the closing blank line as an empty group
        Assert.Equal("rfc822; bad@dest.test", recipient["Final-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("5.1.1", recipient["Status"]);
        Assert.Equal("smtp; 550 5.1.1 no such user", recipient["Diagnostic-Code"]);
        Assert.Equal("text/rfc822-headers", multipart[2].ContentType.MimeType);
        var raw = Encoding.ASCII.GetString(dsn.Data!);
        var originalHeaders = raw[raw.IndexOf("Content-Type: text/rfc822-headers", StringComparison.Ordinal)..];
        Assert.Contains("\r\nSubject: engine test\r\n", originalHeaders);
        Assert.DoesNotContain("Hello", raw); // headers only, not the body

        // The sink has the notification before the relay records it delivered: wait for that record.
        Assert.Equal(new AttemptCounts(1, 0, 0), await engine.AttemptDoneAsync(notification, 1));
        Assert.Null(await engine.Queue.NextDueAtAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_message_from_the_null_sender_never_bounces()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript { RcptReply = _ => "550 5.1.1 no such user" });
        await using var engine = new DeliveryEngine(server.Port);
        await engine.StartAsync();
        var id = await engine.EnqueueAsync(string.Empty, "bad@dest.test");

        Assert.Equal(new AttemptCounts(0, 1, 0), await engine.AttemptDoneAsync(id, 1));
        var noNotification = await engine.Log.WaitForEventAsync(EventIds.Delivery.NoBounceToNullSender, e => Equals(e["QueueId"], id.Value));
        Assert.Equal(1, noNotification["FailedCount"]);
        Assert.Null(await engine.Queue.NextDueAtAsync(CancellationToken.None));
        Assert.Equal(1, server.SessionCount);
    }

    [Fact]
    public async Task A_connection_dropped_after_the_final_dot_is_retried()
    {
        await using var server = new ScriptedSmtpServer(n => new SmtpScript { DataEndReply = n == 0 ? null : "250 2.0.0 Ok" });
        await using var engine = new DeliveryEngine(server.Port);
        await engine.StartAsync();
        var id = await engine.EnqueueAsync(Sender, "a@dest.test");

        Assert.Equal(new AttemptCounts(0, 0, 1), await engine.AttemptDoneAsync(id, 1));
        await engine.AdvanceToNextDueAsync();
        Assert.Equal(new AttemptCounts(1, 0, 0), await engine.AttemptDoneAsync(id, 2));
        Assert.Equal(2, server.SessionCount); // the server may now hold two copies: at least once, never zero
    }

    [Fact]
    public async Task A_slow_server_is_waited_for_within_the_command_timeout_and_gets_the_message_once()
    {
        // (A server silent beyond CommandTimeout is SmtpTransportTests' job: it ends the session as temporary.)
        var release = new TaskCompletionSource();
        await using var server = new ScriptedSmtpServer(_ => new SmtpScript { HoldDataEndReply = release.Task });
        await using var engine = new DeliveryEngine(server.Port);
        await engine.StartAsync();
        var id = await engine.EnqueueAsync(Sender, "a@dest.test");

        // The server has the data and takes its time; the relay waits rather than give up or try again.
        await server.DataReceived.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        engine.Time.Advance(engine.Options.CommandTimeout - TimeSpan.FromSeconds(1));
        release.SetResult();

        Assert.Equal(new AttemptCounts(1, 0, 0), await engine.AttemptDoneAsync(id, 1));
        Assert.Equal(1, server.SessionCount);
    }

    [Fact]
    public async Task Mail_for_a_server_that_is_down_waits_in_the_queue_and_goes_out_when_it_is_up()
    {
        var port = FreeLoopbackPort();
        await using var engine = new DeliveryEngine(port);
        await engine.StartAsync();
        var id = await engine.EnqueueAsync(Sender, "a@dest.test");

        Assert.Equal(new AttemptCounts(0, 0, 1), await engine.AttemptDoneAsync(id, 1));
        await using var server = new ScriptedSmtpServer(_ => new SmtpScript(), port);
        await engine.AdvanceToNextDueAsync();

        Assert.Equal(new AttemptCounts(1, 0, 0), await engine.AttemptDoneAsync(id, 2));
        Assert.Equal(DeliveryEngine.Content, (await server.NextSessionAsync()).Data);
    }

    [Fact]
    public async Task A_recipient_still_pending_at_max_age_fails_with_5_4_7_and_bounces()
    {
        await using var server = new ScriptedSmtpServer(_ => Replying("451 4.3.0 try again later"));
        await using var engine = new DeliveryEngine(server.Port, o => o.MaxAge = TimeSpan.FromHours(1));
        await engine.StartAsync();
        var received = engine.Time.GetUtcNow();
        var id = await engine.EnqueueAsync(Sender, "a@dest.test");

        // 0, ~1, ~6, ~21, ~51 minutes, then the last attempt exactly at max age.
        AttemptCounts done;
        var attempt = 1;
        while ((done = await engine.AttemptDoneAsync(id, attempt)).Pending > 0)
        {
            await engine.AdvanceToNextDueAsync();
            attempt++;
        }

        Assert.Equal(6, attempt);
        Assert.Equal(received + TimeSpan.FromHours(1), engine.Time.GetUtcNow());
        Assert.Equal(new AttemptCounts(0, 1, 0), done);
        await engine.NotificationQueuedAsync(id);

        // The DSN goes out like any message (the server still answers 451, but it has seen the data).
        SmtpSessionRecord session;
        while ((session = await server.NextSessionAsync()).MailFrom != string.Empty)
        {
        }

        var report = Encoding.ASCII.GetString(session.Data!);
        Assert.Contains("Final-Recipient: rfc822; a@dest.test", report);
        Assert.Contains("Status: 5.4.7", report);
        Assert.Contains("last reply: 451 4.3.0 try again later", report);
    }

    private static int FreeLoopbackPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
