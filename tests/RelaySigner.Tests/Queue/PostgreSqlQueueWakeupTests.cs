using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RelaySigner.Core.Queue;
using RelaySigner.Core.Telemetry;
using RelaySigner.Queue.PostgreSql;
using RelaySigner.Testing;
using RelaySigner.Tests.Delivery;
using static RelaySigner.Tests.Queue.QueueContractTests;

namespace RelaySigner.Tests.Queue;

/// <summary>
/// Nodes wake each other through LISTEN/NOTIFY: a message queued on one node, or released by a node that stops, wakes
/// the delivery of an idle node at once (not at its poll), and a listener whose connection is cut reconnects and hears again.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlQueueWakeupTests(PostgreSqlServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _queueTime = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly DeliveryWakeup _listenerWakeup = new(TimeProvider.System);
    private readonly AwaitableLogger<PostgreSqlQueueListener> _listenerLog = new();
    private readonly List<Func<Task>> _stops = [];
    private PostgreSqlTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgreSqlTestDatabase.CreateAsync(server);

    public async Task DisposeAsync()
    {
        foreach (var stop in Enumerable.Reverse(_stops))
        {
            await stop();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_message_queued_on_one_node_wakes_the_delivery_of_another_at_once()
    {
        var sender = await SendingNodeAsync("node-a");
        await ListeningNodeAsync("node-b");

        await sender.EnqueueAsync(Envelope("a@example.com"), Content("wake up"), CancellationToken.None);

        Assert.True(await _listenerWakeup.WaitAsync(Guard, CancellationToken.None));
    }

    [Fact]
    public async Task A_listener_whose_connection_is_cut_reconnects_and_hears_the_next_message()
    {
        var sender = await SendingNodeAsync("node-a");
        await ListeningNodeAsync("node-b");
        var before = _listenerLog.Count;

        // As when the database restarts or a failover cuts the session.
        await _database.ScalarAsync<object>(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'relaysigner node-b'");
        await _listenerLog.WaitForEventAsync(e => e.EventId == EventIds.Queue.PostgreSqlListening, Guard, from: before);
        // Reconnected, it wakes delivery once for whatever was said meanwhile; that wake-up is taken here.
        Assert.True(await _listenerWakeup.WaitAsync(Guard, CancellationToken.None));

        await sender.EnqueueAsync(Envelope("a@example.com"), Content("wake up again"), CancellationToken.None);

        Assert.True(await _listenerWakeup.WaitAsync(Guard, CancellationToken.None));
        Assert.Contains(_listenerLog.Entries, e => e.EventId == EventIds.Queue.PostgreSqlListenFailed);
    }

    [Fact]
    public async Task A_node_that_stops_wakes_the_others_for_the_messages_it_released()
    {
        var stopping = _database.OpenNode("node-a", _queueTime);
        await stopping.EnqueueAsync(Envelope("a@example.com"), Content("held"), CancellationToken.None);
        Assert.Single(await stopping.ClaimDueAsync(10, TimeSpan.FromMinutes(5), CancellationToken.None));
        await ListeningNodeAsync("node-b");

        await stopping.DisposeAsync();

        Assert.True(await _listenerWakeup.WaitAsync(Guard, CancellationToken.None));
    }

    /// <summary>A node's queue with its notifier running.</summary>
    private async Task<PostgreSqlMessageQueue> SendingNodeAsync(string node)
    {
        var pool = Own(PostgreSqlDataSource.Create(_database.Options(node)));
        var notifier = new PostgreSqlQueueNotifier(pool, TimeProvider.System, NullLogger<PostgreSqlQueueNotifier>.Instance);
        await StartAsync(notifier.StartAsync, notifier.StopAsync);
        var queue = new PostgreSqlMessageQueue(pool, Microsoft.Extensions.Options.Options.Create(_database.Options(node)), _queueTime,
            NullLogger<PostgreSqlMessageQueue>.Instance, notifier);
        _stops.Add(() => queue.DisposeAsync().AsTask());
        return queue;
    }

    /// <summary>A node's listener, started and listening.</summary>
    private async Task ListeningNodeAsync(string node)
    {
        var pool = Own(PostgreSqlDataSource.Create(_database.Options(node)));
        var listener = new PostgreSqlQueueListener(pool, _listenerWakeup, TimeProvider.System, _listenerLog);
        await StartAsync(listener.StartAsync, listener.StopAsync);
        await _listenerLog.WaitForEventAsync(EventIds.Queue.PostgreSqlListening, timeout: Guard);
    }

    private async Task StartAsync(Func<CancellationToken, Task> start, Func<CancellationToken, Task> stop)
    {
        await start(CancellationToken.None);
        _stops.Add(() => stop(CancellationToken.None));
    }

    private NpgsqlDataSource Own(NpgsqlDataSource pool)
    {
        _stops.Add(() => pool.DisposeAsync().AsTask());
        return pool;
    }
}
