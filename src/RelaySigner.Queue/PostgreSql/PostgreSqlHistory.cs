using Npgsql;
using RelaySigner.Core;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// The message history in the shared database (<c>Migrations/0002_history.sql</c>): statements added to the record
/// attempt's second round trip, pruning in small transactions, and the operators' searches.
/// </summary>
internal static class PostgreSqlHistory
{
    // One statement for every outcome of the attempt, as the recipients are inserted at enqueue.
    private const string InsertAttemptsSql =
        "INSERT INTO relaysigner.queue_attempts (queue_id, attempt, position, recipient, at, status, server, tls, reply) " +
        "SELECT $1, $2, o.position - 1, o.recipient, $3, o.status, o.server, o.tls, o.reply " +
        "FROM unnest($4::text[], $5::smallint[], $6::text[], $7::text[], $8::text[]) " +
        "WITH ORDINALITY AS o (recipient, status, server, tls, reply, position)";

    /// <summary>Copies the message row into the history; <c>$4</c> the attempts (null: the row's own), <c>$5</c> deleted.</summary>
    private const string InsertRemovedSql =
        "INSERT INTO relaysigner.message_history " +
        "(queue_id, header_message_id, sender, received_at, removed_at, attempts, size, deleted) " +
        "SELECT id, header_message_id, sender, received_at, $2, COALESCE($3, attempts), size, $4 " +
        "FROM relaysigner.queue_messages WHERE id = $1 ON CONFLICT (queue_id) DO NOTHING";

    private const string PruneSql =
        "WITH batch AS (SELECT queue_id FROM relaysigner.message_history WHERE removed_at < $1 ORDER BY queue_id LIMIT $2), " +
        "attempts AS (DELETE FROM relaysigner.queue_attempts a USING batch WHERE a.queue_id = batch.queue_id) " +
        "DELETE FROM relaysigner.message_history h USING batch WHERE h.queue_id = batch.queue_id";

    private const string MessageSql =
        "SELECT header_message_id, sender, received_at, size, removed_at, deleted FROM relaysigner.message_history WHERE queue_id = $1 " +
        "UNION ALL SELECT header_message_id, sender, received_at, size, NULL, false FROM relaysigner.queue_messages WHERE id = $1 LIMIT 1";

    private const string CountDeliveriesSql =
        "SELECT (floor(extract(epoch FROM at) / 86400))::integer AS day, lower(substr(recipient, strpos(recipient, '@') + 1)) AS domain, " +
        "count(*) FILTER (WHERE status = 1), count(*) FILTER (WHERE status = 0), count(*) FILTER (WHERE status = 2) " +
        "FROM relaysigner.queue_attempts WHERE at >= $1 AND at < $2 GROUP BY day, domain ORDER BY day, domain";

    private const string AttemptsSql =
        "SELECT attempt, at, recipient, status, server, tls, reply FROM relaysigner.queue_attempts " +
        "WHERE queue_id = $1 ORDER BY attempt, position";

    public static void AddAttempts(NpgsqlBatch batch, QueueId id, int attempt, DateTimeOffset at, IReadOnlyList<RecipientOutcome> outcomes) =>
        batch.Add(InsertAttemptsSql, id.Value, attempt, at.ToUniversalTime(),
            outcomes.Select(o => o.Recipient).ToArray(),
            outcomes.Select(o => (short)o.Status).ToArray(),
            outcomes.Select(o => o.Server?.ToString()).ToArray(),
            outcomes.Select(o => o.Server?.Tls).ToArray(),
            outcomes.Select(o => HistoryColumns.Reply(o.Reply)).ToArray());

    /// <summary>Adds the history row of a message the same batch deletes after it.</summary>
    public static void AddRemoved(NpgsqlBatch batch, QueueId id, int attempts, DateTimeOffset removedAt) =>
        batch.Add(InsertRemovedSql, id.Value, removedAt.ToUniversalTime(), attempts, false);

    /// <summary>The statement that copies a message into the history as deleted by an operator (<c>$1</c> id, <c>$2</c> now).</summary>
    public static string DeletedSql(string notLeased) =>
        "WITH gone AS (DELETE FROM relaysigner.queue_messages WHERE id = $1 AND " + notLeased + " RETURNING *) " +
        "INSERT INTO relaysigner.message_history " +
        "(queue_id, header_message_id, sender, received_at, removed_at, attempts, size, deleted) " +
        "SELECT id, header_message_id, sender, received_at, $2, attempts, size, true FROM gone ON CONFLICT (queue_id) DO NOTHING";

    /// <returns>How many messages' history was removed (one statement: its own short transaction).</returns>
    public static async Task<int> PruneAsync(NpgsqlDataSource database, DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        await using var prune = database.CreateCommand(PruneSql);
        prune.Parameters.Add(new NpgsqlParameter { Value = cutoff.ToUniversalTime() });
        prune.Parameters.Add(new NpgsqlParameter { Value = batchSize });
        return await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As the embedded store's search (<see cref="HistorySql.Find"/>), in one snapshot.</summary>
    public static IReadOnlyList<MessageHistory> Find(NpgsqlConnection connection, HistoryQuery query, DateTimeOffset? since)
    {
        using var tx = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        var found = query.Run(since, (lookup, value) => Collect(tx, lookup, value), id => Read(tx, id));
        tx.Commit();
        return found;
    }

    public static IReadOnlyList<DeliveryAttempt> ReadAttempts(NpgsqlConnection connection, NpgsqlTransaction? tx, string id)
    {
        using var select = new NpgsqlCommand(AttemptsSql, connection, tx);
        select.Parameters.Add(new NpgsqlParameter { Value = id });
        using var reader = select.ExecuteReader();
        var attempts = new List<DeliveryAttempt>();
        while (reader.Read())
        {
            attempts.Add(new DeliveryAttempt(
                reader.GetInt32(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetString(2),
                (RecipientStatus)reader.GetInt16(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return attempts;
    }

    /// <summary>Outcomes per UTC day and destination domain of the attempts made in [<paramref name="from"/>, <paramref name="to"/>),
    /// in one pass over the window's attempts (see <see cref="HistorySql.CountDeliveries"/> for why no index on the time).</summary>
    public static IReadOnlyList<DeliveryCount> CountDeliveries(NpgsqlConnection connection, DateTimeOffset from, DateTimeOffset to)
    {
        using var select = new NpgsqlCommand(CountDeliveriesSql, connection);
        select.Parameters.Add(new NpgsqlParameter { Value = from.ToUniversalTime() });
        select.Parameters.Add(new NpgsqlParameter { Value = to.ToUniversalTime() });
        using var reader = select.ExecuteReader();
        var counts = new List<DeliveryCount>();
        while (reader.Read())
        {
            counts.Add(new DeliveryCount(DateOnly.FromDayNumber(HistorySql.UnixEpochDay + reader.GetInt32(0)), reader.GetString(1),
                reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return counts;
    }

    private static List<string> Collect(NpgsqlTransaction tx, HistoryLookup lookup, string value)
    {
        using var select = PostgreSqlBatches.Command(tx, lookup switch
        {
            HistoryLookup.MessageIdInHistory => "SELECT queue_id FROM relaysigner.message_history WHERE header_message_id = $1",
            HistoryLookup.MessageIdInQueue => "SELECT id FROM relaysigner.queue_messages WHERE header_message_id = $1",
            HistoryLookup.RecipientInHistory => "SELECT DISTINCT queue_id FROM relaysigner.queue_attempts WHERE lower(recipient) = lower($1)",
            _ => "SELECT DISTINCT message_id FROM relaysigner.queue_recipients WHERE lower(address) = lower($1)",
        }, value);
        using var reader = select.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static MessageHistory? Read(NpgsqlTransaction tx, string id)
    {
        string? messageId;
        string sender;
        DateTimeOffset receivedAt;
        long size;
        DateTimeOffset? removedAt;
        bool deleted;
        using (var select = PostgreSqlBatches.Command(tx, MessageSql, id))
        using (var reader = select.ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            messageId = reader.IsDBNull(0) ? null : reader.GetString(0);
            sender = reader.GetString(1);
            receivedAt = reader.GetFieldValue<DateTimeOffset>(2);
            size = reader.GetInt64(3);
            removedAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4);
            deleted = reader.GetBoolean(5);
        }

        return new MessageHistory(new QueueId(id), messageId, sender, receivedAt, size, removedAt, deleted,
            ReadAttempts(tx.Connection!, tx, id));
    }
}
