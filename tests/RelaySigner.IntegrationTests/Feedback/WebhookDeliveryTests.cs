using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
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
/// The events webhook over a real HTTP connection on loopback: the feedback stage as the relay wires it, an events
/// outbox in memory, and a receiver (Kestrel) that checks each signature as the README tells receivers to, answers
/// 500 to some events the first time, and records what it accepted.
/// </summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private const string Secret = "c2a1f0e9d8c7b6a5c2a1f0e9d8c7b6a5c2a1f0e9";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<(string Id, bool Verified, int Answer, JsonElement Body)> _received = new();
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new();
    private readonly CapturingLoggerProvider _log = new();
    private WebApplication? _receiver;
    private ServiceProvider? _relay;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _receiver = builder.Build();
        _receiver.MapPost("/hooks/relay", ReceiveAsync);
        await _receiver.StartAsync();
    }

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
        _failuresLeft[before[2].ToString()] = 1;
        _failuresLeft[before[7].ToString()] = 2;

        var wakeup = await StartRelayAsync(outbox);
        var after = Enumerable.Range(10, 10).Select(i => outbox.Add(Event(i))).ToList();
        wakeup.Notify(); // as a store does after its commit
        await outbox.WhenEmptyAsync();

        var all = before.Concat(after).Select(id => id.ToString()).ToList();
        var received = _received.ToList();
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
            ["Relay:Events:WebhookUrl"] = $"{_receiver!.Urls.Single()}/hooks/relay",
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

    private async Task ReceiveAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var verified = WebhookVerifier.Verify(Secret, context.Request.Headers["X-RelaySigner-Signature"], body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))
            && context.Request.ContentType == "application/json; charset=utf-8";
        var json = JsonDocument.Parse(body).RootElement.Clone();
        var id = json.GetProperty("id").GetString()!;
        var fail = _failuresLeft.TryGetValue(id, out var left) && left > 0 && _failuresLeft.TryUpdate(id, left - 1, left);
        var answer = !verified ? 401 : fail ? 500 : 200;
        _received.Enqueue((id, verified, answer, json));
        context.Response.StatusCode = answer;
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
