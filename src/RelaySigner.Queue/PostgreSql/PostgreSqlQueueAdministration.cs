using System.Data;
using Npgsql;
using RelaySigner.Core;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// <see cref="IQueueAdministration"/> on the shared database, while the nodes run. Reads see one committed snapshot
/// and never wait for a delivery; a change is one statement whose condition "no live lease" is checked again on the
/// row's newest version if a claim locked it meanwhile (READ COMMITTED re-checks an UPDATE's WHERE on a row it waited
/// for), so a message a node claims at the same moment is left alone. Before any node created the tables, the queue
/// reads as empty.
/// </summary>
/// <param name="database">The pool; the caller owns it.</param>
public sealed class PostgreSqlQueueAdministration(NpgsqlDataSource database) : IQueueAdministration
{
    /// <summary>No live lease at the time bound to parameter <c>$n</c>.</summary>
    private static string NotLeased(int n) => $"(lease_until IS NULL OR lease_until <= ${n})";

    private const string RecipientsSql =
        "SELECT message_id, address, status, last_reply FROM relaysigner.queue_recipients ORDER BY message_id, ordinal";

    private const string MessagesSql =
        "SELECT id, sender, size, received_at, attempts, next_attempt_at, lease_until, lease_node " +
        "FROM relaysigner.queue_messages ORDER BY received_at, id";

    private const string PendingSql =
        "SELECT r.message_id, r.address, m.received_at, r.last_reply FROM relaysigner.queue_recipients r " +
        "JOIN relaysigner.queue_messages m ON m.id = r.message_id WHERE r.status = 0 ORDER BY r.message_id, r.ordinal";

    // The oldest by id, which starts with the acceptance time: a seek on the primary key, no index on received_at.
    // COUNT(*) reads the table (an index-only scan once vacuumed): a counter row would be a lock every enqueue of every
    // node waits for. A scrape of a million-message queue costs tens of milliseconds.
    private const string SummarySql =
        "SELECT (SELECT COUNT(*) FROM relaysigner.queue_messages), " +
        "(SELECT received_at FROM relaysigner.queue_messages ORDER BY id LIMIT 1)";

    public IReadOnlyList<QueueEntry> List() => OrEmpty<IReadOnlyList<QueueEntry>>(() =>
    {
        using var connection = database.OpenConnection();
        // Both queries on one snapshot, so every message comes with the recipients it had at that moment.
        using var tx = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        var recipients = new Dictionary<string, List<QueueEntryRecipient>>(StringComparer.Ordinal);
        using (var select = new NpgsqlCommand(RecipientsSql, connection, tx))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetString(0);
                if (!recipients.TryGetValue(id, out var list))
                {
                    recipients[id] = list = [];
                }

                list.Add(new QueueEntryRecipient(reader.GetString(1), (RecipientStatus)reader.GetInt16(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        var entries = new List<QueueEntry>();
        using (var select = new NpgsqlCommand(MessagesSql, connection, tx))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                entries.Add(Entry(reader, recipients));
            }
        }

        return entries;
    }, []);

    public IEnumerable<PendingRecipient> ListPending()
    {
        using var connection = database.OpenConnection();
        if (!SchemaExists(connection))
        {
            yield break;
        }

        using var select = new NpgsqlCommand(PendingSql, connection);
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            yield return new PendingRecipient(new QueueId(reader.GetString(0)), reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        }
    }

    public byte[]? ReadContent(QueueId id) => OrEmpty(() =>
    {
        using var select = database.CreateCommand("SELECT content FROM relaysigner.queue_messages WHERE id = $1");
        select.Parameters.Add(new NpgsqlParameter { Value = id.Value });
        return select.ExecuteScalar() as byte[];
    }, null);

    public QueueSummary Summarize() => OrEmpty(() =>
    {
        using var select = database.CreateCommand(SummarySql);
        using var reader = select.ExecuteReader();
        reader.Read();
        return new QueueSummary(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }, new QueueSummary(0, null));

    public QueueChange Retry(QueueId id, DateTimeOffset now)
    {
        var change = Change($"UPDATE relaysigner.queue_messages SET next_attempt_at = $2 WHERE id = $1 AND {NotLeased(2)}", id, now);
        if (change == QueueChange.Done)
        {
            WakeNodes();
        }

        return change;
    }

    /// <remarks>
    /// In batches of <see cref="RetryBatch"/> messages, each its own short transaction: one UPDATE of a large backlog
    /// would be a long transaction that holds back vacuum everywhere in the database and leaves all its dead rows at
    /// once. Rows a node holds locked at that moment (claiming or recording them) are skipped: they are being
    /// delivered.
    /// </remarks>
    public (int Retried, int BeingDelivered) RetryAll(DateTimeOffset now) => OrEmpty(() =>
    {
        var at = now.ToUniversalTime();
        using (var retry = database.CreateCommand(RetryBatchSql))
        {
            retry.Parameters.Add(new NpgsqlParameter { Value = at });
            retry.Parameters.Add(new NpgsqlParameter { Value = RetryBatch });
            while (retry.ExecuteNonQuery() > 0)
            {
            }
        }

        WakeNodes();

        using var count = database.CreateCommand(
            $"SELECT COUNT(*) FILTER (WHERE {NotLeased(1)}), COUNT(*) FILTER (WHERE NOT {NotLeased(1)}) FROM relaysigner.queue_messages");
        count.Parameters.Add(new NpgsqlParameter { Value = at });
        using var reader = count.ExecuteReader();
        reader.Read();
        return (checked((int)reader.GetInt64(0)), checked((int)reader.GetInt64(1)));
    }, (0, 0));

    private const int RetryBatch = 1000;

    // Only messages not due yet: each batch leaves what it changed behind, so the loop ends.
    private static readonly string RetryBatchSql =
        "UPDATE relaysigner.queue_messages SET next_attempt_at = $1 WHERE id IN (" +
        $"SELECT id FROM relaysigner.queue_messages WHERE next_attempt_at > $1 AND {NotLeased(1)} " +
        "ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)";

    // The recipients go with it (ON DELETE CASCADE); its history keeps it, marked deleted, with its attempts.
    public QueueChange Delete(QueueId id, DateTimeOffset now) =>
        Change(PostgreSqlHistory.DeletedSql(NotLeased(2)), id, now);

    public IReadOnlyList<DeliveryAttempt> ReadAttempts(QueueId id) => OrEmpty<IReadOnlyList<DeliveryAttempt>>(() =>
    {
        using var connection = database.OpenConnection();
        return PostgreSqlHistory.ReadAttempts(connection, null, id.Value);
    }, []);

    public IReadOnlyList<MessageHistory> FindHistory(HistoryQuery query, DateTimeOffset? since) => OrEmpty(() =>
    {
        using var connection = database.OpenConnection();
        return PostgreSqlHistory.Find(connection, query, since);
    }, []);

    /// <summary>After a change that made messages due: the relays' nodes look at the queue now, not at their next poll.</summary>
    private void WakeNodes()
    {
        using var notify = database.CreateCommand(PostgreSqlQueueChannel.NotifySql);
        notify.ExecuteNonQuery();
    }

    public IReadOnlyList<DeliveryCount> CountDeliveries(DateTimeOffset from, DateTimeOffset to) => OrEmpty(() =>
    {
        using var connection = database.OpenConnection();
        return PostgreSqlHistory.CountDeliveries(connection, from, to);
    }, []);

    private QueueChange Change(string sql, QueueId id, DateTimeOffset now) => OrEmpty(() =>
    {
        using var change = database.CreateCommand(sql);
        change.Parameters.Add(new NpgsqlParameter { Value = id.Value });
        change.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        if (change.ExecuteNonQuery() == 1)
        {
            return QueueChange.Done;
        }

        using var exists = database.CreateCommand("SELECT EXISTS (SELECT 1 FROM relaysigner.queue_messages WHERE id = $1)");
        exists.Parameters.Add(new NpgsqlParameter { Value = id.Value });
        return exists.ExecuteScalar() is true ? QueueChange.BeingDelivered : QueueChange.NotFound;
    }, QueueChange.NotFound);

    /// <summary>The message at the reader's row (<see cref="MessagesSql"/>) with its recipients.</summary>
    private static QueueEntry Entry(NpgsqlDataReader row, Dictionary<string, List<QueueEntryRecipient>> recipients)
    {
        var id = row.GetString(0);
        DateTimeOffset? leasedUntil = row.IsDBNull(6) ? null : row.GetFieldValue<DateTimeOffset>(6);
        return new QueueEntry(new QueueId(id), row.GetString(1), row.GetInt64(2), row.GetFieldValue<DateTimeOffset>(3),
            row.GetInt32(4), row.GetFieldValue<DateTimeOffset>(5), leasedUntil, recipients.GetValueOrDefault(id) ?? [],
            row.IsDBNull(7) ? null : row.GetString(7));
    }

    private static bool SchemaExists(NpgsqlConnection connection)
    {
        using var check = new NpgsqlCommand("SELECT to_regclass('relaysigner.queue_messages') IS NOT NULL", connection);
        return check.ExecuteScalar() is true;
    }

    /// <returns>What <paramref name="read"/> returns, or <paramref name="empty"/> when no node has created the tables yet.</returns>
    private static T OrEmpty<T>(Func<T> read, T empty)
    {
        try
        {
            return read();
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            return empty;
        }
    }
}
