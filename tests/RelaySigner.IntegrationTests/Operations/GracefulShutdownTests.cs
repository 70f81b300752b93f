using System.Net;
using System.Text;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Queue;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Operations;

/// <summary>Stopping the relay over real sockets: what is in DATA finishes and is queued; everyone else gets 421 4.3.2.</summary>
public sealed class GracefulShutdownTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempFolder _queue = new();

    [Fact]
    public async Task A_message_in_DATA_when_stop_begins_gets_its_250_and_stays_queued_while_new_clients_get_421()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint);
        await using var inData = await RawSmtpClient.GreetedAsync(relay.Port);
        await using var idle = await RawSmtpClient.GreetedAsync(relay.Port);
        Assert.StartsWith("250", await inData.CommandAsync("MAIL FROM:<app@example.com>"));
        Assert.StartsWith("250", await inData.CommandAsync("RCPT TO:<rcpt@example.org>"));
        Assert.StartsWith("354", await inData.CommandAsync("DATA"));
        var message = Submission.Message("app@example.com", "rcpt@example.org", body: "No line here starts with a dot.\r\n");
        await inData.SendAsync(message[..40]);

        var stopping = relay.StopAsync();
        await relay.Logs.WaitForEventAsync(EventIds.Intake.Draining, Patience);

        await using (var late = await RawSmtpClient.ConnectAsync(relay.Port))
        {
            Assert.StartsWith("421 4.3.2", await late.ReadReplyAsync());
            Assert.True(await late.IsClosedAsync());
        }

        Assert.StartsWith("421 4.3.2", await idle.CommandAsync("MAIL FROM:<app@example.com>"));
        Assert.False(stopping.IsCompleted, "the stop must wait for the message in DATA");

        await inData.SendAsync(message[40..]);
        var reply = await inData.CommandAsync(".");
        Assert.Matches("^250 2.0.0 Ok: queued as [0-9A-F]+$", reply);
        Assert.StartsWith("421 4.3.2", await inData.CommandAsync("MAIL FROM:<app@example.com>"));
        await stopping.WaitAsync(Patience);

        // Delivery stopped before intake did, so the message is still in the queue, where the next run finds it.
        var queued = Assert.Single(QueueListing.Read(_queue.Path));
        Assert.Equal(reply[(reply.LastIndexOf(' ') + 1)..], queued.Id.Value);
        Assert.Equal("app@example.com", queued.Sender);
    }

    [Fact]
    public async Task A_message_still_in_DATA_when_the_shutdown_timeout_ends_is_cut_without_250_and_not_queued()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint, ("Relay:Shutdown:Timeout", "00:00:00.2"));
        await using var inData = await RawSmtpClient.GreetedAsync(relay.Port);
        Assert.StartsWith("250", await inData.CommandAsync("MAIL FROM:<app@example.com>"));
        Assert.StartsWith("250", await inData.CommandAsync("RCPT TO:<rcpt@example.org>"));
        Assert.StartsWith("354", await inData.CommandAsync("DATA"));
        await inData.SendAsync(Encoding.ASCII.GetBytes("From: app@example.com\r\n"));

        await relay.StopAsync().WaitAsync(Patience);

        await relay.Logs.WaitForEventAsync(EventIds.Intake.DrainTimedOut, e => Equals(e["InData"], 1), Patience);
        Assert.DoesNotContain("250", await inData.ReadReplyAsync());
        Assert.Empty(QueueListing.Read(_queue.Path));
    }

    public void Dispose() => _queue.Dispose();
}
