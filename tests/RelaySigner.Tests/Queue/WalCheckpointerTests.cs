using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Telemetry;
using RelaySigner.Queue;
using RelaySigner.Testing;
using RelaySigner.Tests.Delivery;

namespace RelaySigner.Tests.Queue;

/// <summary>
/// The WAL is copied back into <c>queue.db</c> by the queue's checkpointer, beside the writer loop, and starts over
/// once it has grown past the restart mark, long before the writer's own automatic checkpoint would.
/// </summary>
public sealed class WalCheckpointerTests : IAsyncDisposable
{
    private readonly QueueFolder _queues = new("checkpoint");
    private readonly AwaitableLogger<SqliteMessageQueue> _log = new();

    public ValueTask DisposeAsync() => _queues.DisposeAsync();

    [Fact]
    public async Task Committed_messages_reach_the_database_file_without_a_checkpoint_by_the_writer()
    {
        await using var queue = Open();
        await queue.EnqueueAsync(new Envelope("a@example.com", ["b@example.org"]), "Subject: x\r\n\r\nbody\r\n"u8.ToArray(),
            CancellationToken.None);

        await _log.WaitForEventAsync(EventIds.Queue.Checkpointed, e => e["Copied"] is int copied and > 0 && Equals(copied, e["Frames"]));

        // immutable=1 reads the database file alone, as if the WAL were not there.
        using var file = new SqliteConnection($"Data Source=file:{queue.DatabasePath}?immutable=1;Mode=ReadOnly;Pooling=False");
        file.Open();
        using var count = file.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM messages";
        Assert.Equal(1L, count.ExecuteScalar());
    }

    [Fact]
    public async Task A_wal_grown_past_the_restart_mark_starts_over()
    {
        await using var queue = Open();
        // One commit of 20 MiB: about 5,100 pages of 4 KiB in the WAL. (Between commits the passive checkpoints
        // usually copy the whole WAL, and SQLite starts it over by itself.)
        var content = new byte[20 * 1024 * 1024];
        Array.Fill(content, (byte)'x');
        await queue.EnqueueAsync(new Envelope("a@example.com", ["b@example.org"]), content, CancellationToken.None);

        await _log.WaitForEventAsync(EventIds.Queue.Checkpointed, e => Equals(e["Mode"], "restart"));
        await queue.EnqueueAsync(new Envelope("a@example.com", ["b@example.org"]), "Subject: x\r\n\r\nbody\r\n"u8.ToArray(),
            CancellationToken.None);

        // The checkpointer's look after that commit finds only its pages: the WAL started over. (Asked from a
        // connection of the test's own, a checkpoint would find the checkpointer's lock taken at times.)
        await NextCheckpointAsync(e => e["Frames"] is int frames and >= 1 and <= 100);
    }

    [Fact]
    public async Task The_pause_between_checkpoints_runs_on_the_queue_clock()
    {
        await using var queue = Open();
        await queue.EnqueueAsync(new Envelope("a@example.com", ["b@example.org"]), "Subject: x\r\n\r\nbody\r\n"u8.ToArray(),
            CancellationToken.None);
        await _log.WaitForEventAsync(EventIds.Queue.Checkpointed);
        var before = _log.Count;

        await queue.EnqueueAsync(new Envelope("a@example.com", ["c@example.org"]), "Subject: y\r\n\r\nbody\r\n"u8.ToArray(),
            CancellationToken.None);

        // The clock stands still: the second checkpoint waits for its pause (20 ms at least) however long it takes.
        var second = _log.WaitForEventAsync(e => e.EventId == EventIds.Queue.Checkpointed, TimeSpan.FromSeconds(1), from: before);
        await Assert.ThrowsAsync<TimeoutException>(() => second);

        await NextCheckpointAsync(_ => true);
    }

    /// <summary>
    /// Moves the queue's clock on until a checkpoint after those already logged matches: the checkpointer pauses
    /// on that clock, and the clock may move before or after it starts its pause.
    /// </summary>
    private async Task NextCheckpointAsync(Func<LogEntry, bool> match)
    {
        var found = _log.WaitForEventAsync(e => e.EventId == EventIds.Queue.Checkpointed && match(e), from: _log.Count);
        while (!found.IsCompleted)
        {
            _queues.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(found, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }

        await found;
    }

    private SqliteMessageQueue Open() =>
        new(Options.Create(new QueueOptions { Path = _queues.Path }), _queues.Time, _log);
}
