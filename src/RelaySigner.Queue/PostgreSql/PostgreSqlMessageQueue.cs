using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using RelaySigner.Core;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// The queue of a cluster: tables in a PostgreSQL database that several nodes share (<see cref="PostgreSqlMigrations"/>).
/// Every operation is one short transaction on a pooled connection (<see cref="PostgreSqlDataSource"/>), committed
/// with <c>synchronous_commit=on</c> before its task completes: an enqueue returns only once its COMMIT is on disk
/// (promise 1), and a failure anywhere throws, so intake answers 451.
/// </summary>
/// <remarks>
/// <para>
/// Group commit needs no writer loop here, unlike the embedded queue's: the server flushes the WAL of every
/// transaction committing at that moment with one fsync, across connections and nodes.
/// </para>
/// <para>
/// Several nodes: claims lock rows with <c>SKIP LOCKED</c> (<see cref="PostgreSqlClaim"/>) and every lease carries a
/// token from a sequence, which an attempt must present (<see cref="PostgreSqlRecordAttempt"/>). A node that dies
/// keeps nothing: its leases expire after the lease duration and the other nodes claim the messages. A node that
/// stops releases the leases it still holds (<see cref="DisposeAsync"/>). Unlike the embedded queue it never releases
/// leases at start: another live node may hold them. Times come from the node's clock, so nodes' clocks must agree
/// to well within the lease duration (NTP).
/// </para>
/// </remarks>
public sealed class PostgreSqlMessageQueue : IMessageQueue, IQueueProbe, IHistoryPruning, IAsyncDisposable
{
    private const string ProbeSql =
        // A write lock on the table (as an INSERT takes) and a transaction id, which a read-only standby cannot hand
        // out: proves the database takes writes without leaving a dead row behind, as a rolled-back INSERT would.
        "LOCK TABLE relaysigner.queue_messages IN ROW EXCLUSIVE MODE; SELECT pg_current_xact_id()";

    private const string ReleaseSql =
        "UPDATE relaysigner.queue_messages m SET lease_token = NULL, lease_until = NULL, lease_node = NULL " +
        "FROM unnest($1::text[], $2::bigint[]) AS held (id, token) WHERE m.id = held.id AND m.lease_token = held.token";

    private readonly NpgsqlDataSource _database;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgreSqlMessageQueue> _logger;
    private readonly string _node;
    private readonly bool _keepsHistory;
    private readonly PostgreSqlQueueNotifier? _notifier;
    private readonly bool _eventsEnabled;
    private readonly EventsWakeup? _eventsWakeup;

    /// <summary>The leases this node holds (token by message), released at a graceful stop.</summary>
    private readonly ConcurrentDictionary<QueueId, long> _held = new();
    private int _disposed;

    /// <summary>Brings the schema to the latest version (waiting for another node doing the same), then is ready.</summary>
    /// <param name="database">The pool, from <see cref="PostgreSqlDataSource.Create"/>; the caller owns it.</param>
    /// <param name="notifier">Tells the other nodes when messages become due; without one they find them by polling.</param>
    /// <param name="events">Whether attempts write events (<see cref="EventsOptions.Enabled"/>); none when not given.</param>
    /// <param name="eventsWakeup">Told once an attempt's events are committed, so this node's webhook sender posts them at once.</param>
    public PostgreSqlMessageQueue(NpgsqlDataSource database, IOptions<QueueOptions> options, TimeProvider time,
        ILogger<PostgreSqlMessageQueue> logger, PostgreSqlQueueNotifier? notifier = null, IOptions<EventsOptions>? events = null,
        EventsWakeup? eventsWakeup = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _database = database;
        _time = time;
        _logger = logger;
        _node = options.Value.NodeName;
        _keepsHistory = options.Value.KeepsHistory;
        _notifier = notifier;
        _eventsEnabled = events?.Value.Enabled ?? false;
        _eventsWakeup = eventsWakeup;

        var settings = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var before = PostgreSqlMigrations.Apply(database);
        if (before is > 0 && before < PostgreSqlMigrations.LatestVersion)
        {
            PostgreSqlQueueLog.Upgraded(logger, settings.Database ?? "", before, PostgreSqlMigrations.LatestVersion);
        }

        PostgreSqlQueueLog.Opened(logger, settings.Database ?? "", settings.Host ?? "", PostgreSqlMigrations.LatestVersion, _node);
    }

    public Task<QueueId> EnqueueAsync(Envelope envelope, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        EnqueueAsync(envelope, [content], cancellationToken);

    public async Task<QueueId> EnqueueAsync(Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> contentParts, CancellationToken cancellationToken)
    {
        QueueArguments.ValidateEnvelope(envelope);
        ArgumentNullException.ThrowIfNull(contentParts);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        var id = QueueId.New(_time);
        var recipients = envelope.Recipients.ToArray();
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            PostgreSqlEnqueue.Add(batch, id, envelope, recipients, _time.GetUtcNow(), contentParts);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await CommitAsync(tx).ConfigureAwait(false);
        _notifier?.MessagesDue();
        QueueLog.Queued(_logger, id, recipients.Length, contentParts.Sum(part => part.Length));
        return id;
    }

    public async Task<IReadOnlyList<QueuedMessage>> ClaimDueAsync(int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var leaseUntil = now + leaseDuration;
        var claimed = await PostgreSqlClaim.ExecuteAsync(tx, now, leaseUntil, _node, maxCount, cancellationToken).ConfigureAwait(false);
        await CommitAsync(tx).ConfigureAwait(false);

        foreach (var message in claimed)
        {
            _held[message.Id] = message.LeaseToken;
            QueueLog.Leased(_logger, message.Id, leaseUntil, message.PendingRecipients.Count, message.Attempts);
        }

        return claimed;
    }

    /// <inheritdoc />
    /// <exception cref="KeyNotFoundException">The queue holds no message <paramref name="lease"/> names (nothing changes).</exception>
    /// <exception cref="ArgumentException">An outcome names an address that is not a recipient of the message
    /// (nothing changes).</exception>
    /// <remarks>An outcome for a recipient that already has a final outcome is ignored (logged).</remarks>
    public async Task<QueueId?> RecordAttemptAsync(QueueLease lease, IReadOnlyList<RecipientOutcome> outcomes,
        DateTimeOffset nextAttemptAt, GeneratedMessage? notification, CancellationToken cancellationToken)
    {
        QueueArguments.ValidateAttempt(lease, outcomes, notification);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        var id = lease.Id;
        QueueId? notificationId = notification is null ? null : QueueId.New(_time);
        var notificationRecipients = notification?.Envelope.Recipients.ToArray() ?? [];
        long pending;
        long attempts;
        IReadOnlyList<RecipientOutcome> ignored;
        IReadOnlyList<Suppression> suppressions;
        try
        {
            await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            (pending, attempts, ignored, suppressions) = await PostgreSqlRecordAttempt.ExecuteAsync(tx, lease, outcomes, nextAttemptAt,
                now, _keepsHistory, _eventsEnabled, notification?.WarnsOfDelay ?? false,
                batch =>
                {
                    if (notification is not null)
                    {
                        PostgreSqlEnqueue.Add(batch, notificationId!.Value, notification.Envelope, notificationRecipients,
                            now, [notification.Content]);
                    }
                },
                cancellationToken).ConfigureAwait(false);
            await CommitAsync(tx).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LeaseLostException or KeyNotFoundException)
        {
            _held.TryRemove(KeyValuePair.Create(id, lease.Token)); // not ours any more: nothing to release at stop
            throw;
        }

        _held.TryRemove(KeyValuePair.Create(id, lease.Token));
        if (_eventsEnabled)
        {
            _eventsWakeup?.Notify();
        }

        foreach (var outcome in ignored)
        {
            QueueLog.OutcomeIgnored(_logger, id, outcome.Recipient, outcome.Status.ToString());
        }

        foreach (var suppression in suppressions)
        {
            QueueLog.RecipientSuppressed(_logger, id, suppression.Recipient, suppression.Domain, suppression.Status ?? "");
        }

        if (notificationId is { } queued)
        {
            _notifier?.MessagesDue();
            QueueLog.NotificationQueued(_logger, id, queued, notificationRecipients.Length, notification!.Content.Length);
        }

        if (pending == 0)
        {
            QueueLog.Removed(_logger, id, attempts);
        }
        else
        {
            QueueLog.AttemptRecorded(_logger, id, attempts, pending, nextAttemptAt);
        }

        return notificationId;
    }

    public Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return PostgreSqlNextDue.ExecuteAsync(_database, cancellationToken);
    }

    public async Task<int> PruneHistoryAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return await PostgreSqlHistory.PruneAsync(_database, cutoff, batchSize, cancellationToken).ConfigureAwait(false);
    }

    public async Task ProbeWritableAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(ProbeSql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses new work, then releases the leases this node still holds and wakes the other nodes, so they deliver
    /// those messages at once instead of after the lease duration. A lease is released only while it still carries this node's
    /// token: one that expired and was taken over stays with its new holder. The pool is the caller's to close.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || _held.IsEmpty)
        {
            return;
        }

        var held = _held.ToArray();
        try
        {
            // The other nodes are told in the same transaction: at a stop, one commit that waits is no cost.
            await using var batch = _database.CreateBatch();
            batch.Add(ReleaseSql, held.Select(h => h.Key.Value).ToArray(), held.Select(h => h.Value).ToArray());
            batch.Add(PostgreSqlQueueChannel.NotifySql);
            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
            var released = batch.BatchCommands[0].RecordsAffected;
            PostgreSqlQueueLog.LeasesReleased(_logger, released, _node);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            PostgreSqlQueueLog.LeasesNotReleased(_logger, held.Length, _node, ex);
        }
    }

    /// <summary>Not cancellable: a COMMIT cut off halfway would leave the caller unsure whether it happened.</summary>
    private static Task CommitAsync(NpgsqlTransaction tx) => tx.CommitAsync(CancellationToken.None);
}
