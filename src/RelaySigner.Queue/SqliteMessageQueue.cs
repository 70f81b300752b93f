using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Queue;
using RelaySigner.Queue.Feedback;

namespace RelaySigner.Queue;

/// <summary>
/// The embedded durable queue: one SQLite file (<c>queue.db</c>) in WAL mode with <c>synchronous=FULL</c>,
/// so a commit is on disk before the call that caused it returns (promise 1, "250 means durable").
/// </summary>
/// <remarks>
/// Every operation, reads included, goes through one <see cref="GroupCommitWriter"/> (the WAL is copied back into the
/// file beside it, by <see cref="WalCheckpointer"/>): concurrent callers
/// share a transaction (one fsync), and each task completes only once its own work is committed. A failing
/// operation faults only its own task and changes nothing; a failing commit faults every operation of the
/// batch. Opening: <see cref="QueueDatabase"/>; tables: <see cref="QueueSchema"/>; the SQL of each operation:
/// <see cref="EnqueueSql"/>, <see cref="ClaimDueSql"/>, <see cref="RecordAttemptSql"/>, <see cref="NextDueAtSql"/>;
/// the content: <see cref="MessageContentSql"/>.
/// <para>
/// Single node: the queue holds <see cref="QueueFolderLock"/> while open and, at open, releases every lease a previous
/// run left behind (<see cref="ReleaseLeasesSql"/>), so messages a killed relay was delivering are due again at once.
/// A store shared by several nodes (PostgreSQL) would instead let leases expire, or release those of a node id it
/// knows to be gone.
/// </para>
/// </remarks>
public sealed class SqliteMessageQueue : IMessageQueue, IQueueProbe, IHistoryPruning, ISqliteTransactions, IAsyncDisposable, IDisposable
{
    /// <summary>Schema version stored in <c>PRAGMA user_version</c>.</summary>
    public const int SchemaVersion = QueueSchema.Version;

    private readonly TimeProvider _time;
    private readonly ILogger<SqliteMessageQueue> _logger;
    private readonly GroupCommitWriter _writer;
    private readonly WalCheckpointer _checkpointer;
    private readonly QueueFolderLock _lock;
    private readonly bool _keepsHistory;
    private readonly bool _eventsEnabled;
    private readonly EventsWakeup? _eventsWakeup;

    /// <param name="events">Whether attempts write events (<see cref="EventsOptions.Enabled"/>); none when not given.</param>
    /// <param name="eventsWakeup">Told once an attempt's events are committed, so the webhook sender posts them at once.</param>
    public SqliteMessageQueue(IOptions<QueueOptions> options, TimeProvider time, ILogger<SqliteMessageQueue> logger,
        IOptions<EventsOptions>? events = null, EventsWakeup? eventsWakeup = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _time = time;
        _logger = logger;
        _keepsHistory = options.Value.KeepsHistory;
        _eventsEnabled = events?.Value.Enabled ?? false;
        _eventsWakeup = eventsWakeup;

        var folder = Path.GetFullPath(options.Value.Path);
        OwnerOnly.CreateFolder(folder); // 0700: the queue holds message bodies
        DatabasePath = Path.Combine(folder, QueueOptions.DatabaseFileName);
        _lock = QueueFolderLock.Acquire(folder);
        try
        {
            foreach (var widened in QueueDatabase.RestrictToOwner(DatabasePath))
            {
                QueueLog.Restricted(logger, widened);
            }

            var connection = QueueDatabase.Open(DatabasePath, logger);
            try
            {
                // A crashed run (kill -9, power loss) leaves its leases behind: without this its messages would
                // wait out LeaseDuration (15 min) before anyone delivers them.
                var released = ReleaseLeasesSql.Execute(connection);
                if (released > 0)
                {
                    QueueLog.LeasesReleased(logger, DatabasePath, released);
                }

                _checkpointer = WalCheckpointer.Start(connection, time, logger);
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            _writer = new GroupCommitWriter(connection, logger, _checkpointer.Committed);
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
    }

    /// <summary>Full path of the SQLite file.</summary>
    public string DatabasePath { get; }

    public Task<QueueId> EnqueueAsync(Envelope envelope, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        EnqueueAsync(envelope, [content], cancellationToken);

    /// <remarks>
    /// The parts are not copied: the writer loop reads them into the file, and the returned task does not complete,
    /// not even on cancellation, before the loop has written them or skipped the operation. So the caller's buffers
    /// (a message may be tens of megabytes) are read only while the caller waits, and may be reused once it returns.
    /// </remarks>
    public Task<QueueId> EnqueueAsync(Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> contentParts, CancellationToken cancellationToken)
    {
        QueueArguments.ValidateEnvelope(envelope);
        ArgumentNullException.ThrowIfNull(contentParts);
        cancellationToken.ThrowIfCancellationRequested();

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var id = QueueId.New(_time);
        var sender = envelope.Sender;
        var messageId = Envelope.NormalizeMessageId(envelope.MessageId);
        var dsn = envelope.Dsn;
        var from = (envelope.FromDomain, envelope.FromOrganizationalDomain);
        var recipients = envelope.Recipients.ToArray();
        var parts = contentParts.ToArray();
        var length = parts.Sum(part => part.Length);

        var op = new GroupCommitOperation<QueueId>(
            "enqueue",
            id.Value,
            tx =>
            {
                EnqueueSql.Execute(tx, id, sender, recipients, messageId, dsn, from, now, parts);
                return id;
            },
            committed => QueueLog.Queued(_logger, committed, recipients.Length, length),
            cancellationToken);
        return Hand(op);
    }

    public Task<IReadOnlyList<QueuedMessage>> ClaimDueAsync(int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();

        long leaseUntil = 0;
        return Submit(
            "claim",
            null,
            tx =>
            {
                // The clock is read in the writer loop, so the lease starts when the claim really happens.
                var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
                leaseUntil = checked(now + (long)leaseDuration.TotalMilliseconds);
                return ClaimDueSql.Execute(tx, now, leaseUntil, maxCount);
            },
            committed =>
            {
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    foreach (var message in committed)
                    {
                        QueueLog.Leased(_logger, message.Id, DateTimeOffset.FromUnixTimeMilliseconds(leaseUntil),
                            message.PendingRecipients.Count, message.Attempts);
                    }
                }
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="KeyNotFoundException">The queue holds no message <paramref name="lease"/> names (nothing changes).</exception>
    /// <exception cref="ArgumentException">An outcome names an address that is not a recipient of the message
    /// (nothing changes).</exception>
    /// <remarks>
    /// An outcome for a recipient that already has a final outcome is ignored (logged), so a delivered or failed
    /// recipient never becomes pending again.
    /// </remarks>
    public Task<QueueId?> RecordAttemptAsync(QueueLease lease, IReadOnlyList<RecipientOutcome> outcomes,
        DateTimeOffset nextAttemptAt, GeneratedMessage? notification, CancellationToken cancellationToken)
    {
        QueueArguments.ValidateAttempt(lease, outcomes, notification);
        var recorded = outcomes.ToArray();
        cancellationToken.ThrowIfCancellationRequested();
        var next = nextAttemptAt.ToUnixTimeMilliseconds();
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        QueueId? notificationId = notification is null ? null : QueueId.New(_time);
        var notificationRecipients = notification?.Envelope.Recipients.ToArray() ?? [];
        var id = lease.Id;

        var recording = Submit(
            "record-attempt",
            id.Value,
            tx =>
            {
                var result = RecordAttemptSql.Execute(tx, lease, recorded, next, _keepsHistory ? now : null,
                    notification?.WarnsOfDelay ?? false);
                var feedback = AttemptFeedback.Of(id, result.Origin, AttemptFeedback.Applied(recorded, result.Ignored),
                    DateTimeOffset.FromUnixTimeMilliseconds(now), _eventsEnabled);
                SqliteFeedbackSql.Write(tx, feedback, now);
                if (notification is not null)
                {
                    EnqueueSql.Execute(tx, notificationId!.Value, notification.Envelope.Sender, notificationRecipients,
                        Envelope.NormalizeMessageId(notification.Envelope.MessageId), notification.Envelope.Dsn,
                        (notification.Envelope.FromDomain, notification.Envelope.FromOrganizationalDomain), now, [notification.Content]);
                }

                return (result.Pending, result.Attempts, result.Ignored, feedback.Suppressions, Events: feedback.Events.Count);
            },
            committed =>
            {
                if (committed.Events > 0)
                {
                    _eventsWakeup?.Notify();
                }

                foreach (var outcome in committed.Ignored)
                {
                    QueueLog.OutcomeIgnored(_logger, id, outcome.Recipient, outcome.Status.ToString());
                }

                foreach (var suppression in committed.Suppressions)
                {
                    QueueLog.RecipientSuppressed(_logger, id, suppression.Recipient, suppression.Domain, suppression.Status ?? "");
                }

                if (notificationId is { } queued)
                {
                    QueueLog.NotificationQueued(_logger, id, queued, notificationRecipients.Length, notification!.Content.Length);
                }

                if (committed.Pending == 0)
                {
                    QueueLog.Removed(_logger, id, committed.Attempts);
                }
                else
                {
                    QueueLog.AttemptRecorded(_logger, id, committed.Attempts, committed.Pending, nextAttemptAt);
                }
            },
            cancellationToken);

        return WithResult(recording, notificationId);
    }

    /// <remarks>
    /// Goes through the writer loop rather than a separate read connection. It is one indexed query per
    /// scheduler pass, not a hot path; with Pooling=False a read connection would mean opening and closing the
    /// file (and mapping the WAL index) on every call, which costs more than waiting for the current batch; and
    /// it keeps a single connection to close on dispose. It also sees every write its caller already awaited.
    /// </remarks>
    public Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Submit("next-due", null, NextDueAtSql.Execute, afterCommit: null, cancellationToken);
    }

    /// <remarks>One operation of the writer loop per batch, so a large prune never holds up enqueues for long.</remarks>
    public Task<int> PruneHistoryAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        cancellationToken.ThrowIfCancellationRequested();
        var before = cutoff.ToUnixTimeMilliseconds();
        return Submit("prune-history", null, tx => HistorySql.Prune(tx, before, batchSize), afterCommit: null, cancellationToken);
    }

    /// <summary>
    /// For readiness: completes once a write has gone through the writer loop into the file (and was undone, see
    /// <see cref="WriteProbeSql"/>); faults when the store cannot take writes, as an enqueue would.
    /// </summary>
    public Task ProbeWritableAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Submit("write-probe", null, WriteProbeSql.Execute, afterCommit: null, cancellationToken);
    }

    /// <summary>Operations already queued still run; new ones are refused. Then the file is closed.</summary>
    public async ValueTask DisposeAsync()
    {
        // The writer's connection closes last: closing the last connection checkpoints the WAL and removes it.
        await _checkpointer.DisposeAsync().ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
        _lock.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    Task<T> ISqliteTransactions.RunAsync<T>(string name, Func<SqliteTransaction, T> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Submit(name, null, body, afterCommit: null, cancellationToken);
    }

    private static async Task<QueueId?> WithResult(Task recording, QueueId? notificationId)
    {
        await recording.ConfigureAwait(false);
        return notificationId;
    }

    private Task<T> Submit<T>(string name, string? queueId, Func<SqliteTransaction, T> body,
        Action<T>? afterCommit, CancellationToken cancellationToken)
    {
        var task = Hand(new GroupCommitOperation<T>(name, queueId, body, afterCommit, cancellationToken));

        // The caller may stop waiting; the operation itself runs to its end or is skipped if still queued
        // when cancelled.
        return cancellationToken.CanBeCanceled ? task.WaitAsync(cancellationToken) : task;
    }

    /// <returns>The operation's own task, which completes only once the writer loop has run or skipped it.</returns>
    private Task<T> Hand<T>(GroupCommitOperation<T> op) =>
        _writer.TryWrite(op) ? op.Task : throw new ObjectDisposedException(nameof(SqliteMessageQueue));
}
