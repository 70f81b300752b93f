using System.Text;
using MimeKit;
using MimeKit.Utils;
using RelaySigner.Core;
using RelaySigner.Core.Dsn;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Tests.Delivery;

/// <summary>
/// The delivery status notifications of the DSN extension (RFC 3461) through the real delivery engine on fake time:
/// what each NOTIFY and RET gives the sender, the delay warning, and the parameters a next hop offering DSN gets.
/// </summary>
public sealed class DsnNotificationTests
{
    private const string Sender = "sender@example.test";

    /// <summary>The engine's clock at start, when the tests enqueue: the message's arrival.</summary>
    private static readonly DateTimeOffset DeliveryEngineStart = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static Envelope To(string recipient, DsnNotify? notify, DsnReturn? ret = null, string? envelopeId = null, string? orcpt = null) =>
        new(Sender, [recipient], Dsn: new DsnRequest(ret, envelopeId,
            new Dictionary<string, RecipientDsn> { [recipient] = new(notify, orcpt) }));

    private static SmtpScript Refusing(string refused, string reply = "550 5.1.1 no such user", params string[] extensions) => new()
    {
        RcptReply = address => address == refused ? reply : "250 2.1.5 Ok",
        Extensions = ["PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES", .. extensions],
    };

    [Fact]
    public async Task Notify_never_gets_no_report_of_a_failure()
    {
        await using var server = new ScriptedSmtpServer(Refusing("bad@dest.test"));
        await using var engine = new DeliveryEngine(server.Port);
        await engine.StartAsync();
        var id = await engine.EnqueueAsync(To("bad@dest.test", DsnNotify.Never));

        Assert.Equal(new AttemptCounts(0, 1, 0), await engine.AttemptDoneAsync(id, 1));
        var notWanted = await engine.Log.WaitForEventAsync(EventIds.Delivery.NotificationNotWanted, e => Equals(e["QueueId"], id.Value));
        Assert.Equal("failed", notWanted["Action"]);
        Assert.Null(await engine.Queue.NextDueAtAsync(CancellationToken.None));
        Assert.Equal(1, server.SessionCount);
    }

    [Fact]
    public async Task Notify_without_failure_gets_no_report_of_a_failure()
    {
        await using var server = new ScriptedSmtpServer(Refusing("bad@dest.test"));
        await using var engine = new DeliveryEngine(server.Port);
        await engine.StartAsync();
        var id = await engine.EnqueueAsync(To("bad@dest.test", DsnNotify.Success | DsnNotify.Delay));

        Assert.Equal(new AttemptCounts(0, 1, 0), await engine.AttemptDoneAsync(id, 1));
        await engine.Log.WaitForEventAsync(EventIds.Delivery.NotificationNotWanted, e => Equals(e["QueueId"], id.Value));
        Assert.Null(await engine.Queue.NextDueAtAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_failure_report_carries_the_envelope_id_and_original_recipient_and_returns_the_headers_for_ret_hdrs()
    {
        await using var server = new ScriptedSmtpServer(Refusing("bad@dest.test"));
        await using var engine = new DeliveryEngine(server.Port);
        await engine.StartAsync();
        var id = await engine.EnqueueAsync(To("bad@dest.test", DsnNotify.Failure, DsnReturn.Headers, "order 42+7", "rfc822;alias@dest.test"));

        await engine.NotificationQueuedAsync(id);
        await server.NextSessionAsync();
        var (report, raw) = Report(await server.NextSessionAsync());

        var (message, recipient) = StatusGroups(report);
        Assert.Equal("order 42+7", message["Original-Envelope-Id"]);
        Assert.Equal("rfc822;alias@dest.test", recipient["Original-Recipient"]);
        Assert.Equal("rfc822; bad@dest.test", recipient["Final-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("text/rfc822-headers", Assert.IsType<MultipartReport>(report.Body)[2].ContentType.MimeType);
        Assert.DoesNotContain("Hello", raw);
    }

    [Fact]
    public async Task Ret_full_returns_the_whole_message_in_a_failure_report()
    {
        await using var server = new ScriptedSmtpServer(Refusing("bad@dest.test"));
        await using var engine = new DeliveryEngine(server.Port);
        await engine.StartAsync();
        var id = await engine.EnqueueAsync(To("bad@dest.test", null, DsnReturn.Full));

        await engine.NotificationQueuedAsync(id);
        await server.NextSessionAsync();
        var (report, raw) = Report(await server.NextSessionAsync());

        Assert.Equal("message/rfc822", Assert.IsType<MultipartReport>(report.Body)[2].ContentType.MimeType);
        Assert.Contains(Encoding.ASCII.GetString(DeliveryEngine.Content), raw);
        Assert.Null(StatusGroups(report).Message["Original-Envelope-Id"]);
    }

    [Fact]
    public async Task Notify_success_to_a_next_hop_without_dsn_gets_a_relayed_report()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript());
        await using var engine = new DeliveryEngine(server.Port);
        await engine.StartAsync();
        var id = await engine.EnqueueAsync(To("a@dest.test", DsnNotify.Success | DsnNotify.Failure, envelopeId: "run-9"));

        var queued = await engine.Log.WaitForEventAsync(EventIds.Delivery.NotificationQueued, e => Equals(e["QueueId"], id.Value));
        Assert.Equal("relayed", queued["Actions"]);
        var original = await server.NextSessionAsync();
        Assert.DoesNotContain(original.Commands, c => c.Contains("NOTIFY=", StringComparison.Ordinal));
        var (report, _) = Report(await server.NextSessionAsync());

        Assert.Equal("Successful Mail Delivery Report", report.Subject);
        var (message, recipient) = StatusGroups(report);
        Assert.Equal("run-9", message["Original-Envelope-Id"]);
        Assert.Equal("relayed", recipient["Action"]);
        Assert.Equal("2.0.0", recipient["Status"]);
    }

    [Fact]
    public async Task A_next_hop_that_offers_dsn_gets_the_parameters_and_the_relay_reports_no_success_itself()
    {
        await using var server = new ScriptedSmtpServer(Refusing("none", extensions: "DSN"));
        await using var engine = new DeliveryEngine(server.Port);
        await engine.StartAsync();
        var id = await engine.EnqueueAsync(To("a@dest.test", DsnNotify.Success | DsnNotify.Failure, DsnReturn.Headers, "job 7"));

        Assert.Equal(new AttemptCounts(1, 0, 0), await engine.AttemptDoneAsync(id, 1));
        var original = await server.NextSessionAsync();
        Assert.Contains(original.Commands, c => c.StartsWith("MAIL FROM:<sender@example.test>", StringComparison.Ordinal) &&
            c.Contains(" ENVID=job+207", StringComparison.Ordinal) && c.Contains(" RET=HDRS", StringComparison.Ordinal));
        Assert.Contains(original.Commands, c => c.StartsWith("RCPT TO:<a@dest.test>", StringComparison.Ordinal) &&
            c.Contains(" NOTIFY=SUCCESS,FAILURE", StringComparison.Ordinal));
        Assert.Null(await engine.Queue.NextDueAtAsync(CancellationToken.None));
        Assert.Equal(1, server.SessionCount);
    }

    [Fact]
    public async Task A_recipient_still_pending_after_delay_warning_after_gets_one_delay_warning_per_message()
    {
        // The recipient is greylisted for good; the warning to the sender goes through.
        await using var server = new ScriptedSmtpServer(Refusing("slow@dest.test", "451 4.7.1 greylisted"));
        await using var engine = new DeliveryEngine(server.Port, o => o.DelayWarningAfter = TimeSpan.FromMinutes(15));
        await engine.StartAsync();
        var id = await engine.EnqueueAsync(Sender, "slow@dest.test");

        // Attempts at 0, 1 and 6 minutes (±10 %): no warning yet; at 21 minutes the first after 15.
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal(new AttemptCounts(0, 0, 1), await engine.AttemptDoneAsync(id, attempt));
            await engine.AdvanceToNextDueAsync();
        }

        Assert.Equal(new AttemptCounts(0, 0, 1), await engine.AttemptDoneAsync(id, 4));
        var queued = await engine.Log.WaitForEventAsync(EventIds.Delivery.NotificationQueued, e => Equals(e["QueueId"], id.Value));
        Assert.Equal("delayed", queued["Actions"]);
        var warningId = new QueueId((string)queued["DsnQueueId"]!);
        Assert.Equal(new AttemptCounts(1, 0, 0), await engine.AttemptDoneAsync(warningId, 1));

        // Two more attempts: no second warning.
        for (var attempt = 5; attempt <= 6; attempt++)
        {
            await engine.AdvanceToNextDueAsync();
            Assert.Equal(new AttemptCounts(0, 0, 1), await engine.AttemptDoneAsync(id, attempt));
        }

        Assert.Single(engine.Log.Entries, e => e.EventId == EventIds.Delivery.NotificationQueued);
        var warning = (await Sessions(server, 7)).Single(s => s.MailFrom == string.Empty);
        var (report, raw) = Report(warning);
        Assert.Equal("Delayed Mail (still being retried)", report.Subject);
        var recipient = StatusGroups(report).Recipient;
        Assert.Equal("delayed", recipient["Action"]);
        Assert.Equal("4.7.1", recipient["Status"]);
        Assert.Equal(DateUtils.FormatDate(DeliveryEngineStart + engine.Options.MaxAge), recipient["Will-Retry-Until"]);
        Assert.DoesNotContain("Hello", raw);
    }

    [Fact]
    public async Task Notify_without_delay_gets_no_delay_warning()
    {
        await using var server = new ScriptedSmtpServer(Refusing("slow@dest.test", "451 4.7.1 greylisted"));
        await using var engine = new DeliveryEngine(server.Port, o => o.DelayWarningAfter = TimeSpan.FromMinutes(1));
        await engine.StartAsync();
        var id = await engine.EnqueueAsync(To("slow@dest.test", DsnNotify.Failure));

        Assert.Equal(new AttemptCounts(0, 0, 1), await engine.AttemptDoneAsync(id, 1));
        await engine.AdvanceToNextDueAsync();
        Assert.Equal(new AttemptCounts(0, 0, 1), await engine.AttemptDoneAsync(id, 2));
        var notWanted = await engine.Log.WaitForEventAsync(EventIds.Delivery.NotificationNotWanted, e => Equals(e["QueueId"], id.Value));
        Assert.Equal("delayed", notWanted["Action"]);
        Assert.DoesNotContain(engine.Log.Entries, e => e.EventId == EventIds.Delivery.NotificationQueued);
    }

    private static async Task<List<SmtpSessionRecord>> Sessions(ScriptedSmtpServer server, int count)
    {
        var sessions = new List<SmtpSessionRecord>();
        for (var i = 0; i < count; i++)
        {
            sessions.Add(await server.NextSessionAsync());
        }

        return sessions;
    }

    private static (MimeMessage Report, string Raw) Report(SmtpSessionRecord session)
    {
        Assert.Equal(string.Empty, session.MailFrom);
        Assert.Equal([Sender], session.RcptTo);
        return (MimeMessage.Load(new MemoryStream(session.Data!)), Encoding.ASCII.GetString(session.Data!));
    }

    private static (HeaderList Message, HeaderList Recipient) StatusGroups(MimeMessage report)
    {
        var status = Assert.IsType<MessageDeliveryStatus>(Assert.IsType<MultipartReport>(report.Body)[1]);
        // MimeKit reads the closing blank line as an empty group.
        return (status.StatusGroups[0], Assert.Single(status.StatusGroups.Skip(1), group => group.Count > 0));
    }
}
