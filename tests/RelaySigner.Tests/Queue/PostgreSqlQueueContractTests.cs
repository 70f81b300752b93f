using Npgsql;
using RelaySigner.Core.Queue;
using RelaySigner.Queue;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Queue;

/// <summary>The queue contract on PostgreSQL: each test on a fresh database of the run's throwaway cluster.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlQueueContractTests(PostgreSqlServer server) : QueueContractTests
{
    private PostgreSqlTestDatabase _database = null!;

    protected override IQueueAdministration Administration => _database.Administration;

    public override async Task InitializeAsync() => _database = await PostgreSqlTestDatabase.CreateAsync(server);

    public override Task DisposeAsync() => _database.DisposeAsync().AsTask();

    protected override IMessageQueue Open() => _database.OpenNode("node-a", Time);

    protected override async Task<IAsyncDisposable> HoldWriteLockAsync()
    {
        var connection = await _database.Pool.OpenConnectionAsync();
        await using var begin = new NpgsqlCommand("BEGIN; LOCK TABLE relaysigner.queue_messages IN EXCLUSIVE MODE", connection);
        await begin.ExecuteNonQueryAsync();
        return connection; // back to the pool, the transaction rolled back
    }
}
