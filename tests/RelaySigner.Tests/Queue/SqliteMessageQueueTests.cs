using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Queue;
using static RelaySigner.Tests.Queue.QueueContractTests;

namespace RelaySigner.Tests.Queue;

/// <summary>
/// What only the embedded store does: its folder lock and release of a previous run's leases, its writer loop's
/// batches, its file. What every store does is in <see cref="QueueContractTests"/>.
/// </summary>
public sealed class SqliteMessageQueueTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly QueueFolder _queues = new("queue");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _queues.DisposeAsync().AsTask();

    private SqliteMessageQueue Open() => _queues.Open();

    [Fact]
    public async Task Leases_left_by_a_previous_run_are_released_when_the_queue_opens()
    {
        var first = Open();
        var id = await first.EnqueueAsync(Envelope("a@example.com"), Content("crash"), CancellationToken.None);
        var abandoned = Assert.Single(await first.ClaimDueAsync(10, TimeSpan.FromMinutes(15), CancellationToken.None)).Lease;
        await first.DisposeAsync(); // as after kill -9: the row still carries the lease

        var second = Open();
        Assert.Equal(_queues.Time.GetUtcNow(), await second.NextDueAtAsync(CancellationToken.None));
        var again = Assert.Single(await second.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(id, again.Id);
        await Assert.ThrowsAsync<LeaseLostException>(() =>
            second.RecordAttemptAsync(abandoned, [], _queues.Time.GetUtcNow(), null, CancellationToken.None));
    }

    [Fact]
    public void A_second_queue_on_the_same_folder_is_refused_while_the_first_is_open()
    {
        Open();
        var refused = Assert.Throws<InvalidOperationException>(Open);
        Assert.Contains("in use by another relay", refused.Message);
    }





    [Fact]
    public async Task A_failing_operation_in_a_batch_faults_only_itself()
    {
        var gated = new GatedTime(_queues.Time);
        var queue = _queues.Open(gated);
        await queue.EnqueueAsync(Envelope("warmup@example.com"), Content("warmup"), CancellationToken.None);
        var knownLease = Assert.Single(await queue.ClaimDueAsync(1, Lease, CancellationToken.None)).Lease;
        var known = knownLease.Id;

        // Stop the writer loop inside a claim (it reads the clock there), queue four operations while it is
        // stuck, then let it go: the four are drained into the next batch, one transaction.
        var stuck = gated.BlockNextRead(() => queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        var before = queue.EnqueueAsync(Envelope("before@example.com"), Content("before"), CancellationToken.None);
        var unknown = queue.RecordAttemptAsync(new QueueLease(new QueueId("0000000000000000000000"), 1), [], _queues.Time.GetUtcNow(), null, CancellationToken.None);
        var badRecipient = queue.RecordAttemptAsync(knownLease,
            [new RecipientOutcome("warmup@example.com", RecipientStatus.Delivered, null),
             new RecipientOutcome("stranger@example.com", RecipientStatus.Delivered, null)],
            _queues.Time.GetUtcNow(), null, CancellationToken.None);
        var after = queue.EnqueueAsync(Envelope("after@example.com"), Content("after"), CancellationToken.None);
        Assert.False(before.IsCompleted);
        gated.Release();
        Assert.Empty(await stuck);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => unknown);
        await Assert.ThrowsAsync<ArgumentException>(() => badRecipient);
        var ids = new[] { await before, await after };

        // The bad RecordAttempt was rolled back whole (its first outcome too): warmup is pending, leased, 0 attempts.
        Assert.Equal([("warmup@example.com", RecipientStatus.Pending, (string?)null)], ReadRecipients(known));
        var claimed = await queue.ClaimDueAsync(10, TimeSpan.FromHours(1), CancellationToken.None);
        Assert.Equal(ids.OrderBy(id => id.Value), claimed.Select(m => m.Id).OrderBy(id => id.Value));
        _queues.Time.Advance(Lease);
        var warm = Assert.Single(await queue.ClaimDueAsync(10, Lease, CancellationToken.None));
        Assert.Equal(known, warm.Id);
        Assert.Equal(0, warm.Attempts);
    }

    /// <summary>A clock whose next read, once armed, parks the reading thread (the writer loop) until released.</summary>
    private sealed class GatedTime(TimeProvider inner) : TimeProvider
    {
        private readonly ManualResetEventSlim _entered = new();
        private readonly ManualResetEventSlim _gate = new();
        private int _armed;

        public override DateTimeOffset GetUtcNow()
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                _entered.Set();
                _gate.Wait(TimeSpan.FromSeconds(30));
            }

            return inner.GetUtcNow();
        }

        /// <summary>Starts <paramref name="operation"/> and returns once it is parked on the clock.</summary>
        public Task<T> BlockNextRead<T>(Func<Task<T>> operation)
        {
            Volatile.Write(ref _armed, 1);
            var task = operation();
            Assert.True(_entered.Wait(TimeSpan.FromSeconds(30)), "the writer loop never read the clock");
            return task;
        }

        public void Release() => _gate.Set();
    }


    [Fact]
    public async Task Closing_checkpoints_the_wal_into_the_file_and_removes_it()
    {
        var queue = Open();
        await queue.EnqueueAsync(Envelope("a@example.com"), Content("wal"), CancellationToken.None);
        await queue.DisposeAsync();
        Assert.False(File.Exists(Path.Combine(_queues.Path, "queue.db-wal")), "the WAL is checkpointed and removed on close");
        Assert.Single(QueueListing.Read(_queues.Path));
    }

    [Fact]
    public async Task Schema_version_is_recorded()
    {
        await Open().DisposeAsync();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_queues.Path, "queue.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        Assert.Equal<object?>((long)SqliteMessageQueue.SchemaVersion, command.ExecuteScalar());
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal<object?>("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task AddRelayQueue_binds_the_path_and_registers_one_queue()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Relay:Queue:Path"] = _queues.Path })
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(_queues.Time).AddRelayQueue(configuration);

        await using (var provider = services.BuildServiceProvider())
        {
            var queue = provider.GetRequiredService<IMessageQueue>();
            Assert.IsType<SqliteMessageQueue>(queue);
            Assert.Same(queue, provider.GetRequiredService<IMessageQueue>());
            Assert.Same(_queues.Time, provider.GetRequiredService<TimeProvider>());
            Assert.Equal(Path.Combine(_queues.Path, "queue.db"), ((SqliteMessageQueue)queue).DatabasePath);
            await queue.EnqueueAsync(Envelope("a@example.com"), Content("di"), CancellationToken.None);
        }

        Assert.True(File.Exists(Path.Combine(_queues.Path, "queue.db")));
    }

    private List<(string Address, RecipientStatus Status, string? LastReply)> ReadRecipients(QueueId id)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_queues.Path, "queue.db")};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT address, status, last_reply FROM recipients WHERE message_id = $id ORDER BY ordinal";
        command.Parameters.AddWithValue("$id", id.Value);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, RecipientStatus, string?)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), (RecipientStatus)reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return rows;
    }
}
