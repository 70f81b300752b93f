using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RelaySigner.Queue.PostgreSql;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Queue;

/// <summary>
/// The per-destination session limit counted over the nodes of one database: never more slots than the limit
/// together, a slot given back is taken by a waiting node, and a node that dies gives its slots back at once.
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
        var first = await a.AcquireAsync("example.com", 2, CancellationToken.None);
        await a.AcquireAsync("example.com", 2, CancellationToken.None); // a second slot on the same session, not the first again

        var waiting = b.AcquireAsync("example.com", 2, CancellationToken.None).AsTask();
        await using (await b.AcquireAsync("example.net", 2, CancellationToken.None)) // another destination is free
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
        await dying.AcquireAsync("example.com", 1, CancellationToken.None);
        var waiting = other.AcquireAsync("example.com", 1, CancellationToken.None).AsTask();

        // As when the node's process is killed: the server ends its session.
        await _database.ScalarAsync<object>(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'relaysigner node-dying'");
        await AdvanceUntilAsync(waiting);

        Assert.True(waiting.IsCompletedSuccessfully);
    }

    private PostgreSqlDestinationSlots Node(string name)
    {
        var pool = PostgreSqlDataSource.Create(_database.Options(name));
        var slots = new PostgreSqlDestinationSlots(pool, _time);
        _owned.Add(pool);
        _owned.Add(slots);
        return slots;
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
