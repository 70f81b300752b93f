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
}
