using Microsoft.Extensions.Options;
using RelaySigner.Core.Feedback;
using RelaySigner.Queue.PostgreSql.Feedback;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Queue.Feedback;

/// <summary>The way back's contract on PostgreSQL: each test on a fresh database, each node with a pool of its own.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlFeedbackStoreContractTests(PostgreSqlServer server) : FeedbackStoreContractTests
{
    private PostgreSqlTestDatabase _database = null!;
    private int _nodes;

    public override async Task InitializeAsync() => _database = await PostgreSqlTestDatabase.CreateAsync(server);

    public override Task DisposeAsync() => _database.DisposeAsync().AsTask();

    protected override FeedbackStores Open(bool events = true)
    {
        var eventsOptions = new EventsOptions { WebhookUrl = events ? "https://app.example/events" : "", Secret = "s" };
        var node = $"node-{++_nodes}";
        var wakeup = new EventsWakeup(Time);
        var queue = _database.OpenNode(node, Time, Options.Create(eventsOptions), wakeup);
        var store = new PostgreSqlFeedbackStore(_database.PoolOf(node), Time, eventsOptions, wakeup);
        return new FeedbackStores(queue, store, store, store, wakeup);
    }

    protected override FeedbackStores OpenAnother() => Open();
}
