using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using RelaySigner.Core;
using SQLitePCL;

namespace RelaySigner.Queue;

/// <summary>
/// Copies committed pages from the WAL back into <c>queue.db</c> on a connection and a thread of its own, so the
/// writer loop does not spend its time on it. With a large backlog the pages a delivered message dirties are scattered
/// over the file, and a checkpoint writes each of them and syncs the file; done in the writer's commit (SQLite's
/// automatic checkpoint) it held up every caller waiting for that commit (<c>queue-scale</c>: claims of old messages
/// with a million queued cost 1.8–2.1× their cost at a thousand with it there; with it here, a median of 1.5× over ten
/// runs, 1.3–1.85×).
/// </summary>
/// <remarks>
/// PASSIVE checkpoints never wait for or block the writer, but one racing a busy writer rarely copies the very last
/// page, and SQLite starts the WAL over only once all of it is copied. So when the WAL has grown past
/// <see cref="RestartFrames"/> the checkpointer runs a RESTART checkpoint: it waits for the writer's transaction in
/// progress, holds the next one back while it copies the few pages the passive ones left, and the WAL starts over.
/// The writer's own automatic checkpoint stays on at a higher mark (<see cref="WriterFrames"/>), should this thread
/// ever fall behind.
/// </remarks>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    /// <summary>
    /// About this many new WAL pages per checkpoint, as SQLite's automatic checkpoint: each checkpoint syncs the WAL
    /// and the file, and a page that several commits wrote is copied once. The pause between checkpoints follows the
    /// rate at which the WAL grows, between <see cref="ShortestPause"/> and <see cref="LongestPause"/>.
    /// </summary>
    private const int PagesPerCheckpoint = 1000;

    private static readonly TimeSpan ShortestPause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    /// <summary>WAL pages (4 KiB each) past which a checkpoint restarts the WAL.</summary>
    private const int RestartFrames = 4000;

    /// <summary>The writer's automatic checkpoint, a safety net (SQLite's default is 1,000).</summary>
    private const int WriterFrames = 10_000;

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PendingSignal _commits = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private readonly Task _loop;

    private WalCheckpointer(SqliteConnection connection, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _time = time;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Opens a second connection to the queue's file (created and upgraded already) for checkpoints, and moves the
    /// automatic checkpoint of <paramref name="writer"/> out of the way.
    /// </summary>
    public static WalCheckpointer Start(SqliteConnection writer, TimeProvider time, ILogger logger)
    {
        using (var autoCheckpoint = writer.CreateCommand())
        {
            autoCheckpoint.CommandText = $"PRAGMA wal_autocheckpoint = {WriterFrames};";
            autoCheckpoint.ExecuteNonQuery();
        }

        // Set up as the writer's: a checkpoint syncs the WAL before it copies and the file after, and a RESTART
        // checkpoint waits up to the busy timeout for the writer's transaction in progress.
        return new WalCheckpointer(QueueDatabase.Connect(writer.DataSource, SqliteOpenMode.ReadWrite), time, logger);
    }

    /// <summary>Tells the checkpointer a transaction was committed; never blocks.</summary>
    public void Committed() => _commits.Set();

    /// <summary>
    /// Stops after the checkpoint in progress, if any, and closes the connection; the writer's connection, closed
    /// last, checkpoints what is left.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
            _connection.Dispose();
            _stopping.Dispose();
        }
    }

    private async Task RunAsync()
    {
        var pause = ShortestPause;
        var last = 0L;
        var lastFrames = 0;
        while (true)
        {
            try
            {
                await _commits.TakeAsync(_stopping.Token).ConfigureAwait(false);
                var wait = pause - _time.GetElapsedTime(last);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, _stopping.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _commits.TryTake(); // commits during the pause: this checkpoint covers them
            last = _time.GetTimestamp();
            var result = Checkpoint(raw.SQLITE_CHECKPOINT_PASSIVE, "passive", out var frames);
            if (result == raw.SQLITE_OK)
            {
                // Fewer frames than last time: the WAL has started over since.
                var grown = frames >= lastFrames ? frames - lastFrames : frames;
                pause = NextPause(pause, grown);
                lastFrames = frames;
            }

            if (result == raw.SQLITE_OK && frames >= RestartFrames)
            {
                result = Checkpoint(raw.SQLITE_CHECKPOINT_RESTART, "restart", out _);
                lastFrames = 0;
            }

            if (result is not raw.SQLITE_OK and not raw.SQLITE_BUSY)
            {
                // The writer's own automatic checkpoint still keeps the WAL bounded; nothing is lost.
                QueueLog.CheckpointFailed(_logger, _connection.DataSource, result, raw.sqlite3_errstr(result).utf8_to_string());
            }
        }
    }

    /// <summary>Lengthens or shortens the pause, at most twofold per checkpoint, toward <see cref="PagesPerCheckpoint"/>.</summary>
    private static TimeSpan NextPause(TimeSpan pause, int grownFrames)
    {
        var factor = Math.Clamp(PagesPerCheckpoint / (double)Math.Max(grownFrames, 1), 0.5, 2.0);
        var next = pause * factor;
        return next < ShortestPause ? ShortestPause : next > LongestPause ? LongestPause : next;
    }

    private int Checkpoint(int mode, string modeName, out int frames)
    {
        var result = raw.sqlite3_wal_checkpoint_v2(_connection.Handle, null, mode, out frames, out var copied);
        if (result == raw.SQLITE_OK)
        {
            QueueLog.Checkpointed(_logger, modeName, copied, frames);
        }

        return result;
    }
}
