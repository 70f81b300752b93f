using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RelaySigner.Queue.PostgreSql;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Queue;

/// <summary>
/// The per-destination session limit counted over the nodes of one database: never more slots than the limit
/// together, a slot given back is taken by a waiting node once its idle time is up, and a node that dies gives its
/// slots back at once.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlDestinationSlotsTests(PostgreSqlServer server) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private PostgreSqlTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgreSqlTestDatabase.CreateAsync(server);

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Nodes_together_never_hold_more_slots_of_a_destination_than_the_limit()
    {
        var a = Node("node-a");
        var b = Node("node-b");
        var first = await a.AcquireAsync("example.com", 2, TimeSpan.Zero, CancellationToken.None);
        await a.AcquireAsync("example.com", 2, TimeSpan.Zero, CancellationToken.None); // a second slot on the same session, not the first again

        var waiting = b.AcquireAsync("example.com", 2, TimeSpan.Zero, CancellationToken.None).AsTask();
        await using (await b.AcquireAsync("example.net", 2, TimeSpan.Zero, CancellationToken.None)) // another destination is free
        {
            Assert.Equal(3, await AdvisoryLocksAsync());
        }

        Assert.False(waiting.IsCompleted);
        await first.DisposeAsync();
        await AdvanceUntilAsync(waiting);

        Assert.True(waiting.IsCompletedSuccessfully);
        Assert.Equal(2, await AdvisoryLocksAsync());
    }

    [Fact]
    public async Task A_node_whose_connection_ends_gives_its_slots_back_at_once()
    {
        var dying = Node("node-dying");
        var other = Node("node-b");
        await dying.AcquireAsync("example.com", 1, TimeSpan.Zero, CancellationToken.None);
        var waiting = other.AcquireAsync("example.com", 1, TimeSpan.Zero, CancellationToken.None).AsTask();

        // As when the node's process is killed: the server ends its session.
        await _database.ScalarAsync<object>(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'relaysigner node-dying'");
        await AdvanceUntilAsync(waiting);

        Assert.True(waiting.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_slot_given_back_stays_the_nodes_while_its_connection_may_be_reused_then_goes_to_the_cluster()
    {
        var keepIdle = TimeSpan.FromSeconds(5);
        var a = Node("node-a");
        var b = Node("node-b");
        await (await a.AcquireAsync("example.com", 1, keepIdle, CancellationToken.None)).DisposeAsync();
        var again = await a.AcquireAsync("example.com", 1, keepIdle, CancellationToken.None); // the idle slot, no second lock
        Assert.Equal(["node-a"], await HoldersAsync());
        await again.DisposeAsync();

        var waiting = b.AcquireAsync("example.com", 1, keepIdle, CancellationToken.None).AsTask();
        _time.Advance(keepIdle - TimeSpan.FromSeconds(1));
        Assert.Equal(["node-a"], await HoldersAsync());
        await AdvanceUntilAsync(waiting);

        Assert.True(waiting.IsCompletedSuccessfully);
        Assert.Equal(["node-b"], await HoldersAsync());
    }

    private PostgreSqlDestinationSlots Node(string name)
    {
        var pool = PostgreSqlDataSource.Create(_database.Options(name));
        var slots = new PostgreSqlDestinationSlots(pool, _time);
        _owned.Add(pool);
        _owned.Add(slots);
        return slots;
    }

    /// <summary>The nodes holding advisory locks, by their sessions' application_name ("relaysigner NODE").</summary>
    private async Task<List<string>> HoldersAsync()
    {
        await using var pool = NpgsqlDataSource.Create(_database.ConnectionString);
        await using var command = pool.CreateCommand(
            "SELECT substr(a.application_name, 13) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid " +
            "WHERE l.locktype = 'advisory' AND l.granted ORDER BY 1");
        var holders = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            holders.Add(reader.GetString(0));
        }

        return holders;
    }

    private async Task<long> AdvisoryLocksAsync() =>
        await _database.ScalarAsync<long>("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted");

    /// <summary>A waiting node asks again after pauses on its clock: move the clock on until it has its slot.</summary>
    private async Task AdvanceUntilAsync(Task waiting)
    {
        for (var i = 0; i < 500 && !waiting.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(waiting, Task.Delay(20));
        }
    }
}
