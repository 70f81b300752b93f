using Microsoft.Extensions.Time.Testing;
using RelaySigner.Queue.PostgreSql;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Queue;

/// <summary>
/// The per-destination message rate paced over the nodes of one database: starts reserved by any node are spaced by
/// the interval, so no window of the rate's length holds more than its count, and a node waits for its start on its clock.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlDestinationRateTests(PostgreSqlServer server) : IAsyncLifetime
{
    private readonly TimerWatchingTime _time = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private PostgreSqlTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgreSqlTestDatabase.CreateAsync(server);
        await _database.OpenNode("schema", _time).DisposeAsync(); // the migrations create the pace table
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Three_nodes_reserving_at_once_never_get_more_starts_than_the_rate_in_any_window()
    {
        const int PerMinute = 6;
        var interval = TimeSpan.FromMinutes(1) / PerMinute;
        var nodes = new[] { Node("node-a"), Node("node-b"), Node("node-c") };

        // Ten messages on each node, all at the same moment: 30 reservations racing for the destination's row.
        var starts = (await Task.WhenAll(nodes.SelectMany(node => Enumerable.Range(0, 10)
                .Select(_ => Task.Run(() => node.ReserveAsync("example.com", interval, CancellationToken.None))))))
            .Order()
            .ToArray();

        var now = _time.GetUtcNow();
        Assert.Equal(Enumerable.Range(0, 30).Select(i => now + (i * interval)), starts);
        foreach (var windowStart in starts)
        {
            Assert.True(starts.Count(s => s >= windowStart && s < windowStart + TimeSpan.FromMinutes(1)) <= PerMinute);
        }

        // Another destination has a pace of its own.
        Assert.Equal(now, await nodes[1].ReserveAsync("example.net", interval, CancellationToken.None));
    }

    [Fact]
    public async Task A_node_waits_on_its_clock_for_the_start_another_node_left_it()
    {
        var interval = TimeSpan.FromSeconds(10);
        var a = Node("node-a");
        var b = Node("node-b");

        await a.WaitTurnAsync("example.com", interval, CancellationToken.None);
        var waiting = _time.NextTimerCreated;
        var second = b.WaitTurnAsync("example.com", interval, CancellationToken.None);
        await waiting.WaitAsync(TimeSpan.FromSeconds(30)); // b has its start and waits for it
        _time.Advance(interval - TimeSpan.FromMilliseconds(1));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_destination_quiet_for_a_while_starts_at_once_and_earns_no_burst()
    {
        var interval = TimeSpan.FromSeconds(10);
        var a = Node("node-a");
        await a.ReserveAsync("example.com", interval, CancellationToken.None);

        _time.Advance(TimeSpan.FromHours(1));
        var now = _time.GetUtcNow();
        Assert.Equal(now, await a.ReserveAsync("example.com", interval, CancellationToken.None));
        Assert.Equal(now + interval, await Node("node-b").ReserveAsync("example.com", interval, CancellationToken.None));
    }

    private PostgreSqlDestinationRate Node(string name)
    {
        var pool = PostgreSqlDataSource.Create(_database.Options(name));
        _owned.Add(pool);
        return new PostgreSqlDestinationRate(pool, _time);
    }

    /// <summary>A fake clock that says when a wait on it begins (a timer is created), so a test need not guess.</summary>
    private sealed class TimerWatchingTime() : FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero))
    {
        private TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task NextTimerCreated => Volatile.Read(ref _created).Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Exchange(ref _created, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return timer;
        }
    }
}
