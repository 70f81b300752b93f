using System.Net;
using MailKit.Net.Smtp;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>A message's log lines name the same things the same way: key=value fields, absent values empty.</summary>
public sealed class LogFieldsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_unauthenticated_client_is_logged_as_an_empty_user_and_sizes_are_fields()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        await Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], Submission.Message("app@example.com", "rcpt@example.org"));
        await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Submission.SendAsync(relay.Port, "app@example.org", ["rcpt@example.org"], Submission.Message("app@example.org", "rcpt@example.org")));

        var accepted = await relay.Logs.WaitForEventAsync(EventIds.Intake.Accepted, e => Equals(e["Sender"], "app@example.com"), Patience);
        var queued = await relay.Logs.WaitForEventAsync(EventIds.Queue.Queued, Patience);
        var refused = await relay.Logs.WaitForEventAsync(EventIds.Intake.Refused, e => Equals(e["Sender"], "app@example.org"), Patience);

        // Selected by event id; what is asserted is how the line renders its fields (what an operator greps for).
        Assert.Matches(" size=[0-9]+ client=127.0.0.1 user= d=example.com$", accepted.Message);
        Assert.Matches("^[0-9A-F]+: queued nrcpt=1 stored_size=[0-9]+$", queued.Message);
        Assert.StartsWith("message refused: client=127.0.0.1 user= from=app@example.org size=", refused.Message);
        Assert.DoesNotContain(relay.Logs.Lines, l => l.Contains("(null)", StringComparison.Ordinal) || l.EndsWith(" bytes", StringComparison.Ordinal));
    }
}
