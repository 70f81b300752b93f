using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue;

/// <summary>
/// The embedded durable queue: one SQLite file (<c>queue.db</c>) in WAL mode with <c>synchronous=FULL</c>,
/// so a commit is on disk before the call that caused it returns (promise 1, "250 means durable").
/// </summary>
/// <remarks>
/// <para>
/// Every operation, reads included, runs on ONE long-lived connection owned by a single writer loop fed
/// by a channel. The loop takes one operation, drains whatever else is already waiting (up to
/// <see cref="MaxBatchSize"/>), runs them all in one transaction with each operation inside its own
/// SAVEPOINT, commits once, and only then completes the callers' tasks. Why: with synchronous=FULL every
/// commit costs an fsync, and this machine manages about 1000 fsync'd commits per second
/// (docs: /work/shared/notes/libraries.md §1). One commit per message would cap intake at that rate no
/// matter how many SMTP sessions run; group commit lets concurrent sessions share one fsync, so throughput
/// grows with concurrency while each 250 still waits for its own data to be durable.
/// </para>
/// <para>
/// A failing operation rolls back to its savepoint and faults only its own task; a failing commit faults
/// every operation of the batch (none of them is durable).
/// </para>
/// </remarks>
public sealed class SqliteMessageQueue : IMessageQueue, IAsyncDisposable, IDisposable
{
    /// <summary>Schema version stored in <c>PRAGMA user_version</c>.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Most operations run in one transaction (one fsync).</summary>
    private const int MaxBatchSize = 256;

    private const int BusyTimeoutMilliseconds = 5000;
    private const string SavepointName = "op";

    private readonly TimeProvider _time;
    private readonly ILogger<SqliteMessageQueue> _logger;
    private readonly SqliteConnection _connection;
    private readonly Channel<WriteOp> _operations;
    private readonly Task _writer;
    private int _disposed;

    public SqliteMessageQueue(IOptions<QueueOptions> options, TimeProvider time, ILogger<SqliteMessageQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _time = time;
        _logger = logger;

        var folder = System.IO.Path.GetFullPath(options.Value.Path);
        Directory.CreateDirectory(folder);
        DatabasePath = System.IO.Path.Combine(folder, QueueOptions.DatabaseFileName);

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // No pooling: dispose really closes the file (checkpointing and removing the WAL), so a restart
            // or a test can reopen or delete the folder.
            Pooling = false,
        }.ToString();

        _connection = new SqliteConnection(connectionString);
        try
        {
            _connection.Open();
            var journalMode = Initialize(_connection);
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                QueueLog.NotWal(_logger, DatabasePath, journalMode);
            }

            QueueLog.Opened(_logger, DatabasePath, SchemaVersion, journalMode);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }

        _operations = Channel.CreateUnbounded<WriteOp>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>Full path of the SQLite file.</summary>
    public string DatabasePath { get; }

    public Task<QueueId> EnqueueAsync(Envelope envelope, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(envelope.Sender);
        ArgumentNullException.ThrowIfNull(envelope.Recipients);
        if (envelope.Recipients.Count == 0)
        {
            throw new ArgumentException("An envelope needs at least one recipient.", nameof(envelope));
        }

        if (envelope.Recipients.Any(r => r is null))
        {
            throw new ArgumentException("A recipient address is null.", nameof(envelope));
        }

        cancellationToken.ThrowIfCancellationRequested();

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var id = QueueId.New(_time);
        var sender = envelope.Sender;
        var recipients = envelope.Recipients.ToArray();
        // Copy now: the caller's buffer (SmtpServer's) is only valid during the call, and a caller that stops
        // waiting on cancellation must not be able to change the bytes we are about to store.
        var bytes = content.ToArray();

        return Submit(
            "enqueue",
            id.Value,
            tx =>
            {
                using (var insert = Command(tx,
                    "INSERT INTO messages (id, sender, received_at, next_attempt_at, attempts, lease_until, content) " +
                    "VALUES ($id, $sender, $now, $now, 0, NULL, $content)"))
                {
                    insert.Parameters.AddWithValue("$id", id.Value);
                    insert.Parameters.AddWithValue("$sender", sender);
                    insert.Parameters.AddWithValue("$now", now);
                    insert.Parameters.Add("$content", SqliteType.Blob).Value = bytes;
                    insert.ExecuteNonQuery();
                }

                using var recipient = Command(tx,
                    "INSERT INTO recipients (message_id, ordinal, address, status, last_reply) " +
                    "VALUES ($id, $ordinal, $address, $status, NULL)");
                recipient.Parameters.AddWithValue("$id", id.Value);
                var ordinal = recipient.Parameters.Add("$ordinal", SqliteType.Integer);
                var address = recipient.Parameters.Add("$address", SqliteType.Text);
                recipient.Parameters.AddWithValue("$status", (int)RecipientStatus.Pending);
                for (var i = 0; i < recipients.Length; i++)
                {
                    ordinal.Value = i;
                    address.Value = recipients[i];
                    recipient.ExecuteNonQuery();
                }

                return id;
            },
            committed => QueueLog.Queued(_logger, committed, recipients.Length, bytes.Length),
            cancellationToken);
    }

    public Task<IReadOnlyList<QueuedMessage>> ClaimDueAsync(int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();

        long leaseUntil = 0;
        return Submit<IReadOnlyList<QueuedMessage>>(
            "claim",
            null,
            tx =>
            {
                // Runs in the writer loop: select and lease are one atomic step, so two workers never get
                // the same message (promise 2).
                var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
                leaseUntil = checked(now + (long)leaseDuration.TotalMilliseconds);

                var claimed = new List<(string Id, string Sender, long ReceivedAt, int Attempts, byte[] Content)>();
                using (var select = Command(tx,
                    "SELECT m.id, m.sender, m.received_at, m.attempts, m.content FROM messages m " +
                    "WHERE m.next_attempt_at <= $now AND (m.lease_until IS NULL OR m.lease_until <= $now) " +
                    "AND EXISTS (SELECT 1 FROM recipients r WHERE r.message_id = m.id AND r.status = $pending) " +
                    "ORDER BY m.next_attempt_at, m.id LIMIT $max"))
                {
                    select.Parameters.AddWithValue("$now", now);
                    select.Parameters.AddWithValue("$pending", (int)RecipientStatus.Pending);
                    select.Parameters.AddWithValue("$max", maxCount);
                    using var reader = select.ExecuteReader();
                    while (reader.Read())
                    {
                        claimed.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3),
                            reader.IsDBNull(4) ? [] : reader.GetFieldValue<byte[]>(4)));
                    }
                }

                if (claimed.Count == 0)
                {
                    return [];
                }

                using var lease = Command(tx, "UPDATE messages SET lease_until = $lease WHERE id = $id");
                lease.Parameters.AddWithValue("$lease", leaseUntil);
                var leaseId = lease.Parameters.Add("$id", SqliteType.Text);

                using var pending = Command(tx,
                    "SELECT address FROM recipients WHERE message_id = $id AND status = $pending ORDER BY ordinal");
                var pendingId = pending.Parameters.Add("$id", SqliteType.Text);
                pending.Parameters.AddWithValue("$pending", (int)RecipientStatus.Pending);

                var result = new List<QueuedMessage>(claimed.Count);
                foreach (var message in claimed)
                {
                    leaseId.Value = message.Id;
                    lease.ExecuteNonQuery();

                    pendingId.Value = message.Id;
                    var addresses = new List<string>();
                    using (var reader = pending.ExecuteReader())
                    {
                        while (reader.Read())
                        {
                            addresses.Add(reader.GetString(0));
                        }
                    }

                    result.Add(new QueuedMessage(
                        new QueueId(message.Id),
                        message.Sender,
                        addresses,
                        message.Content,
                        DateTimeOffset.FromUnixTimeMilliseconds(message.ReceivedAt),
                        message.Attempts));
                }

                return result;
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
    /// <exception cref="KeyNotFoundException">The queue holds no message <paramref name="id"/> (nothing changes).</exception>
    /// <exception cref="ArgumentException">An outcome names an address that is not a recipient of the message
    /// (nothing changes).</exception>
    /// <remarks>
    /// An outcome for a recipient that already has a final outcome is ignored (logged), so a late report from a
    /// worker whose lease expired cannot turn a delivered recipient back into a pending one.
    /// </remarks>
    public Task RecordAttemptAsync(QueueId id, IReadOnlyList<RecipientOutcome> outcomes, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id.Value, nameof(id));
        ArgumentNullException.ThrowIfNull(outcomes);
        var recorded = outcomes.ToArray();
        foreach (var outcome in recorded)
        {
            ArgumentNullException.ThrowIfNull(outcome, nameof(outcomes));
            ArgumentNullException.ThrowIfNull(outcome.Recipient, nameof(outcomes));
            if (!Enum.IsDefined(outcome.Status))
            {
                throw new ArgumentException($"Unknown recipient status {outcome.Status}.", nameof(outcomes));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var next = nextAttemptAt.ToUnixTimeMilliseconds();

        return Submit(
            "record-attempt",
            id.Value,
            tx =>
            {
                using (var update = Command(tx,
                    "UPDATE messages SET attempts = attempts + 1, next_attempt_at = $next, lease_until = NULL " +
                    "WHERE id = $id RETURNING attempts"))
                {
                    update.Parameters.AddWithValue("$next", next);
                    update.Parameters.AddWithValue("$id", id.Value);
                    if (update.ExecuteScalar() is not long)
                    {
                        throw new KeyNotFoundException($"The queue holds no message {id}.");
                    }
                }

                using var setStatus = Command(tx,
                    "UPDATE recipients SET status = $status, last_reply = $reply " +
                    "WHERE message_id = $id AND address = $address AND status = $pending");
                setStatus.Parameters.AddWithValue("$id", id.Value);
                setStatus.Parameters.AddWithValue("$pending", (int)RecipientStatus.Pending);
                var status = setStatus.Parameters.Add("$status", SqliteType.Integer);
                var reply = setStatus.Parameters.Add("$reply", SqliteType.Text);
                var address = setStatus.Parameters.Add("$address", SqliteType.Text);

                using var exists = Command(tx,
                    "SELECT EXISTS (SELECT 1 FROM recipients WHERE message_id = $id AND address = $address)");
                exists.Parameters.AddWithValue("$id", id.Value);
                var existsAddress = exists.Parameters.Add("$address", SqliteType.Text);

                var ignored = new List<RecipientOutcome>();
                foreach (var outcome in recorded)
                {
                    status.Value = (int)outcome.Status;
                    reply.Value = (object?)outcome.Reply?.ToString() ?? DBNull.Value;
                    address.Value = outcome.Recipient;
                    if (setStatus.ExecuteNonQuery() > 0)
                    {
                        continue;
                    }

                    existsAddress.Value = outcome.Recipient;
                    if (exists.ExecuteScalar() is not 1L)
                    {
                        throw new ArgumentException($"{outcome.Recipient} is not a recipient of message {id}.", nameof(outcomes));
                    }

                    ignored.Add(outcome);
                }

                using var counts = Command(tx,
                    "SELECT (SELECT COUNT(*) FROM recipients WHERE message_id = $id AND status = $pending), " +
                    "(SELECT attempts FROM messages WHERE id = $id)");
                counts.Parameters.AddWithValue("$id", id.Value);
                counts.Parameters.AddWithValue("$pending", (int)RecipientStatus.Pending);
                long stillPending, attempts;
                using (var reader = counts.ExecuteReader())
                {
                    reader.Read();
                    stillPending = reader.GetInt64(0);
                    attempts = reader.GetInt64(1);
                }

                if (stillPending == 0)
                {
                    // Every recipient has a final outcome: the message leaves the queue (promise 2: only now).
                    using var deleteRecipients = Command(tx, "DELETE FROM recipients WHERE message_id = $id");
                    deleteRecipients.Parameters.AddWithValue("$id", id.Value);
                    deleteRecipients.ExecuteNonQuery();
                    using var deleteMessage = Command(tx, "DELETE FROM messages WHERE id = $id");
                    deleteMessage.Parameters.AddWithValue("$id", id.Value);
                    deleteMessage.ExecuteNonQuery();
                }

                return (Pending: stillPending, Attempts: attempts, Ignored: ignored);
            },
            committed =>
            {
                foreach (var outcome in committed.Ignored)
                {
                    QueueLog.OutcomeIgnored(_logger, id, outcome.Recipient, outcome.Status.ToString());
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
        return Submit<DateTimeOffset?>(
            "next-due",
            null,
            tx =>
            {
                // A leased message is due again when its lease expires, an unleased one at next_attempt_at.
                // (After a claim next_attempt_at <= lease_until, so MAX picks the lease; an expired lease
                // yields a time in the past, i.e. due now.) The (next_attempt_at, lease_until) index covers it.
                using var command = Command(tx,
                    "SELECT MIN(MAX(m.next_attempt_at, COALESCE(m.lease_until, m.next_attempt_at))) FROM messages m " +
                    "WHERE EXISTS (SELECT 1 FROM recipients r WHERE r.message_id = m.id AND r.status = $pending)");
                command.Parameters.AddWithValue("$pending", (int)RecipientStatus.Pending);
                return command.ExecuteScalar() is long due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : null;
            },
            afterCommit: null,
            cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Operations already queued still run; new ones are refused.
        _operations.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        _connection.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static string Initialize(SqliteConnection connection)
    {
        string journalMode;
        using (var pragmas = connection.CreateCommand())
        {
            // journal_mode is stored in the file; synchronous and busy_timeout are per connection.
            pragmas.CommandText = "PRAGMA journal_mode = WAL;";
            journalMode = Convert.ToString(pragmas.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "unknown";
            pragmas.CommandText =
                "PRAGMA synchronous = FULL; " +
                $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; " +
                "PRAGMA foreign_keys = ON;";
            pragmas.ExecuteNonQuery();
        }

        using var tx = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new NotSupportedException(
                $"{connection.DataSource} has queue schema version {version}; this build knows up to {SchemaVersion}.");
        }

        command.CommandText = $"""
            CREATE TABLE IF NOT EXISTS messages (
                id              TEXT    NOT NULL PRIMARY KEY,
                sender          TEXT    NOT NULL,
                received_at     INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                attempts        INTEGER NOT NULL DEFAULT 0,
                lease_until     INTEGER NULL,
                content         BLOB    NOT NULL
            );
            CREATE TABLE IF NOT EXISTS recipients (
                message_id TEXT    NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                ordinal    INTEGER NOT NULL,
                address    TEXT    NOT NULL,
                status     INTEGER NOT NULL,
                last_reply TEXT    NULL,
                PRIMARY KEY (message_id, ordinal)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS ix_messages_due ON messages (next_attempt_at, lease_until);
            PRAGMA user_version = {SchemaVersion};
            """;
        command.ExecuteNonQuery();
        tx.Commit();
        return journalMode;
    }

    private static SqliteCommand Command(SqliteTransaction tx, string sql)
    {
        var command = tx.Connection!.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

    private Task<T> Submit<T>(string name, string? queueId, Func<SqliteTransaction, T> body, Action<T>? afterCommit,
        CancellationToken cancellationToken)
    {
        var op = new WriteOp<T>(name, queueId, body, afterCommit, cancellationToken);
        if (Volatile.Read(ref _disposed) != 0 || !_operations.Writer.TryWrite(op))
        {
            throw new ObjectDisposedException(nameof(SqliteMessageQueue));
        }

        // The caller may stop waiting; the operation itself runs to its end or is skipped if still queued
        // when cancelled. An enqueue that commits after its caller gave up is delivered anyway (at least once).
        return cancellationToken.CanBeCanceled ? op.Task.WaitAsync(cancellationToken) : op.Task;
    }

    private async Task RunWriterAsync()
    {
        var reader = _operations.Reader;
        var batch = new List<WriteOp>(MaxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatchSize && reader.TryRead(out var op))
            {
                if (op.CancellationToken.IsCancellationRequested)
                {
                    op.Cancel();
                    continue;
                }

                batch.Add(op);
            }

            if (batch.Count > 0)
            {
                ExecuteBatch(batch);
                batch.Clear();
            }
        }
    }

    /// <summary>Runs one batch in one transaction. Never throws: every operation ends completed or faulted.</summary>
    private void ExecuteBatch(List<WriteOp> batch)
    {
        var succeeded = new List<WriteOp>(batch.Count);
        SqliteTransaction? tx = null;
        try
        {
            tx = _connection.BeginTransaction();
            foreach (var op in batch)
            {
                tx.Save(SavepointName);
                try
                {
                    op.Execute(tx);
                }
                catch (Exception ex)
                {
                    // If the rollback itself fails the connection is unusable: the outer catch fails the batch.
                    tx.Rollback(SavepointName);
                    tx.Release(SavepointName);
                    QueueLog.OperationFailed(_logger, op.QueueId ?? "-", op.Name, ex);
                    op.Fail(ex);
                    continue;
                }

                tx.Release(SavepointName);
                succeeded.Add(op);
            }

            tx.Commit();
        }
        catch (Exception ex)
        {
            QueueLog.CommitFailed(_logger, batch.Count, ex);
            try
            {
                tx?.Rollback();
            }
            catch (Exception)
            {
                // SQLite may already have rolled back; nothing more to undo.
            }

            tx?.Dispose();
            foreach (var op in batch)
            {
                op.Fail(ex);
            }

            return;
        }

        tx.Dispose();
        if (batch.Count > 1)
        {
            QueueLog.BatchCommitted(_logger, batch.Count);
        }

        foreach (var op in succeeded)
        {
            op.Complete();
        }
    }

    private abstract class WriteOp(string name, string? queueId, CancellationToken cancellationToken)
    {
        public string Name { get; } = name;

        public string? QueueId { get; } = queueId;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        /// <summary>Does the work inside the batch transaction; the result is kept until the commit.</summary>
        public abstract void Execute(SqliteTransaction tx);

        /// <summary>After the commit: hands the result to the caller.</summary>
        public abstract void Complete();

        public abstract void Fail(Exception exception);

        public abstract void Cancel();
    }

    private sealed class WriteOp<T>(
        string name, string? queueId, Func<SqliteTransaction, T> body, Action<T>? afterCommit, CancellationToken cancellationToken)
        : WriteOp(name, queueId, cancellationToken)
    {
        // Continuations run elsewhere, never inline on the writer loop.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override void Execute(SqliteTransaction tx) => _result = body(tx);

        public override void Complete()
        {
            var result = _result!;
            try
            {
                afterCommit?.Invoke(result);
            }
            catch (Exception)
            {
                // Logging must never keep a committed result from its caller.
            }

            _completion.TrySetResult(result);
        }

        public override void Fail(Exception exception) => _completion.TrySetException(exception);

        public override void Cancel() => _completion.TrySetCanceled(CancellationToken);
    }
}
