using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RelaySigner.Core;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Telemetry;
using RelaySigner.Feedback;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Feedback;

/// <summary>
/// The events webhook over real HTTP on loopback: the feedback stage as the relay wires it, an events outbox in
/// memory, and a receiver that checks every signature and answers 500 to some events at first.
/// </summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private const string Secret = "c2a1f0e9d8c7b6a5c2a1f0e9d8c7b6a5c2a1f0e9";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly CapturingLoggerProvider _log = new();
    private WebhookReceiver? _receiver;
    private ServiceProvider? _relay;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync(Secret);

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            foreach (var service in _relay.GetServices<IHostedService>().Reverse())
            {
                await service.StopAsync(CancellationToken.None);
            }

            await _relay.DisposeAsync();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_event_reaches_the_receiver_signed_and_one_answered_500_is_sent_again_until_accepted()
    {
        var outbox = new InMemoryEventOutbox(TimeProvider.System);
        var before = Enumerable.Range(0, 10).Select(i => outbox.Add(Event(i))).ToList();
        _receiver!.FailuresLeft[before[2].ToString()] = 1;
        _receiver.FailuresLeft[before[7].ToString()] = 2;

        var wakeup = await StartRelayAsync(outbox);
        var after = Enumerable.Range(10, 10).Select(i => outbox.Add(Event(i))).ToList();
        wakeup.Notify(); // as a store does after its commit
        await outbox.WhenEmptyAsync();

        var all = before.Concat(after).Select(id => id.ToString()).ToList();
        var received = _receiver.Received;
        Assert.All(received, r => Assert.True(r.Verified, $"event {r.Id}: signature did not verify"));
        Assert.Equal(all.Order(), received.Where(r => r.Answer == 200).Select(r => r.Id).Order()); // each accepted once: none lost, none twice
        Assert.Equal([before[2].ToString(), before[7].ToString(), before[7].ToString()], received.Where(r => r.Answer == 500).Select(r => r.Id).Order());
        Assert.Equal(3, _log.Entries.Count(e => e.EventId == EventIds.Feedback.EventNotAccepted && e.Text("Result") == "ServerError"));

        var sample = received.First(r => r.Id == before[2].ToString() && r.Answer == 200).Body;
        Assert.Equal("bounced", sample.GetProperty("type").GetString());
        Assert.Equal("user2@example.net", sample.GetProperty("recipient").GetString());
        Assert.Equal("5.1.1", sample.GetProperty("status").GetString());
        Assert.Equal(
            ["at", "fromDomain", "id", "kind", "messageId", "queueId", "recipient", "status", "type"],
            sample.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    private async Task<EventsWakeup> StartRelayAsync(IEventOutbox outbox)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Relay:Events:WebhookUrl"] = _receiver!.Url,
            ["Relay:Events:Secret"] = Secret,
            ["Relay:Events:RetryDelay"] = "00:00:00.100",
            ["Relay:Events:MaxRetryDelay"] = "00:00:00.500",
            ["Relay:Events:PollInterval"] = "00:00:00.200",
            ["Relay:Events:MaxBatch"] = "4",
            ["Relay:Events:MaxConcurrentRequests"] = "3",
        }).Build();
        _relay = new ServiceCollection()
            .AddLogging(l => l.AddProvider(_log).SetMinimumLevel(LogLevel.Debug))
            .AddSingleton(outbox)
            .AddRelayFeedback(configuration)
            .BuildServiceProvider();
        foreach (var service in _relay.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        await _log.WaitForEventAsync(EventIds.Feedback.WebhookStarted, Wait);
        return _relay.GetRequiredService<EventsWakeup>();
    }

    private static RelayEvent Event(int i) => new(
        (RelayEventType)(i % 6),
        DateTimeOffset.UtcNow,
        $"user{i}@example.net",
        new QueueId($"0193A1B2C3D4E5F6A7B{i:X2}"),
        $"<m{i}@mail.example.com>",
        "example.com",
        i % 6 == (int)RelayEventType.Bounced ? "hard" : null,
        i % 6 == (int)RelayEventType.Bounced ? "5.1.1" : null);
}
