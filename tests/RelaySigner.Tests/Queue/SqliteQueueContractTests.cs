using Microsoft.Data.Sqlite;
using RelaySigner.Core.Queue;
using RelaySigner.Queue;

namespace RelaySigner.Tests.Queue;

/// <summary>The queue contract on the embedded store: each test in a queue folder of its own.</summary>
public sealed class SqliteQueueContractTests : QueueContractTests
{
    private readonly QueueFolder _queues = new("contract");

    protected override IQueueAdministration Administration => new SqliteQueueAdministration(_queues.Path);

    public override Task InitializeAsync() => Task.CompletedTask;

    public override Task DisposeAsync() => _queues.DisposeAsync().AsTask();

    protected override IMessageQueue Open() => _queues.Open(Time);

    protected override Task<IAsyncDisposable> HoldWriteLockAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_queues.Path, QueueOptions.DatabaseFileName)};Pooling=False");
        connection.Open();
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        begin.ExecuteNonQuery();
        return Task.FromResult<IAsyncDisposable>(connection); // closing it rolls the transaction back
    }
}
