using System.Net;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>Idle connections hold no thread and no slot a new client needs: it is greeted and served as usual.</summary>
[Collection(AloneCollection.Name)]
public sealed class IdleConnectionTests
{
    /// <remarks>
    /// Behaviour, not speed: every await here is bounded only by the test run's hang timeout, so a slow machine cannot
    /// fail it while a relay that parked a thread per connection (or ran out of them) still does.
    /// </remarks>
    [Fact]
    public async Task With_500_idle_connections_open_a_new_client_is_greeted_and_its_message_is_relayed()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, ("Relay:Smtp:MaxConnectionsPerClient", "600"));
        var idle = new List<RawSmtpClient>();
        try
        {
            for (var i = 0; i < 500; i++)
            {
                idle.Add(await RawSmtpClient.ConnectAsync(relay.Port));
            }

            foreach (var client in idle)
            {
                Assert.StartsWith("220", await client.ReadReplyAsync());
            }

            var message = Submission.Message("app@example.com", "rcpt@example.org");
            var reply = await RawSmtpClient.SendMessageAsync(relay.Port, "app@example.com", "rcpt@example.org", message);

            Assert.StartsWith("250 2.0.0", reply);
            var received = await sink.Received.ReadAsync();
            Assert.True(received.Content.AsSpan().EndsWith(message));
            foreach (var client in idle)
            {
                Assert.StartsWith("250", await client.CommandAsync("NOOP")); // and the idle ones are all still served
            }
        }
        finally
        {
            foreach (var client in idle)
            {
                await client.DisposeAsync();
            }
        }
    }
}
