using System.Diagnostics;
using System.Net;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Tools;
using Xunit.Abstractions;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>Idle connections cost the relay no attention: a new client is greeted at once.</summary>
[Collection(AloneCollection.Name)]
public sealed class IdleConnectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task With_500_idle_connections_open_a_new_client_gets_its_greeting_within_a_second()
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

            var clock = Stopwatch.StartNew();
            await using var fresh = await RawSmtpClient.ConnectAsync(relay.Port);
            var greeting = await fresh.ReadReplyAsync();
            clock.Stop();

            Assert.StartsWith("220", greeting);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"greeting took {clock.Elapsed}");
            output.WriteLine($"greeting with 500 idle connections open: {clock.Elapsed.TotalMilliseconds:F1} ms");
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
