using Microsoft.Data.Sqlite;
using RelaySigner.Core;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue;

/// <summary>
/// The message history in <c>queue.db</c> (<see cref="QueueSchema"/>, version 5): written by the queue's writer in
/// the transactions that record an attempt and remove a message, pruned by it in small batches, and searched on a
/// read-only connection of its own (<see cref="QueueListing"/>), so <c>relaysigner history</c> never blocks the relay.
/// </summary>
internal static class HistorySql
{
    private const string Columns = "attempt, at, recipient, status, server, tls, reply";

    /// <summary>One <c>attempts</c> row per outcome, in the caller's transaction.</summary>
    public static void AddAttempts(SqliteTransaction tx, QueueId id, long attempt, long at, IReadOnlyList<RecipientOutcome> outcomes)
    {
        var insert = tx.Prepared(
            "INSERT INTO attempts (queue_id, attempt, position, recipient, at, status, server, tls, reply) " +
            "VALUES ($id, $attempt, $position, $recipient, $at, $status, $server, $tls, $reply)");
        insert.Parameters.AddWithValue("$id", id.Value);
        insert.Parameters.AddWithValue("$attempt", attempt);
        insert.Parameters.AddWithValue("$at", at);
        var position = insert.Parameters.Add("$position", SqliteType.Integer);
        var recipient = insert.Parameters.Add("$recipient", SqliteType.Text);
        var status = insert.Parameters.Add("$status", SqliteType.Integer);
        var server = insert.Parameters.Add("$server", SqliteType.Text);
        var tls = insert.Parameters.Add("$tls", SqliteType.Text);
        var reply = insert.Parameters.Add("$reply", SqliteType.Text);
        for (var i = 0; i < outcomes.Count; i++)
        {
            var outcome = outcomes[i];
            position.Value = i;
            recipient.Value = outcome.Recipient;
            status.Value = (int)outcome.Status;
            server.Value = (object?)outcome.Server?.ToString() ?? DBNull.Value;
            tls.Value = (object?)outcome.Server?.Tls ?? DBNull.Value;
            reply.Value = (object?)HistoryColumns.Reply(outcome.Reply) ?? DBNull.Value;
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>The <c>history</c> row of a message about to leave the queue, copied from its row in the same transaction.</summary>
    public static void AddRemoved(SqliteTransaction tx, QueueId id, long attempts, long removedAt)
    {
        var insert = tx.Prepared(RemovedSql);
        insert.Parameters.AddWithValue("$id", id.Value);
        insert.Parameters.AddWithValue("$attempts", attempts);
        insert.Parameters.AddWithValue("$now", removedAt);
        insert.Parameters.AddWithValue("$deleted", 0);
        insert.ExecuteNonQuery();
    }

    /// <summary>
    /// Copies a message row into <c>history</c> (<c>$id</c>, <c>$attempts</c>, <c>$now</c>, <c>$deleted</c>); the
    /// administration's delete appends its own lease condition.
    /// </summary>
    internal const string RemovedSql =
        "INSERT OR REPLACE INTO history (queue_id, header_message_id, sender, received_at, removed_at, attempts, size, deleted) " +
        "SELECT id, header_message_id, sender, received_at, $now, COALESCE($attempts, attempts), size, $deleted " +
        "FROM messages WHERE id = $id";

    /// <summary>
    /// Removes up to <paramref name="batchSize"/> messages' history that left the queue before <paramref name="cutoff"/>
    /// (Unix milliseconds), with their attempts.
    /// </summary>
    /// <remarks>
    /// The oldest ids first, without an index on <c>removed_at</c> (another page written at every removal): ids start
    /// with their arrival time, so the front of <c>history</c> is what left first, but for the few messages that
    /// stayed queued long, which the scan passes over until their time comes.
    /// </remarks>
    /// <returns>How many messages' history was removed.</returns>
    public static int Prune(SqliteTransaction tx, long cutoff, int batchSize)
    {
        const string Batch = "SELECT queue_id FROM history WHERE removed_at < $cutoff ORDER BY queue_id LIMIT $batch";
        var attempts = tx.Prepared($"DELETE FROM attempts WHERE queue_id IN ({Batch})");
        attempts.Parameters.AddWithValue("$cutoff", cutoff);
        attempts.Parameters.AddWithValue("$batch", batchSize);
        attempts.ExecuteNonQuery();
        var history = tx.Prepared($"DELETE FROM history WHERE queue_id IN ({Batch})");
        history.Parameters.AddWithValue("$cutoff", cutoff);
        history.Parameters.AddWithValue("$batch", batchSize);
        return history.ExecuteNonQuery();
    }

    /// <summary>
    /// The messages <paramref name="query"/> names, queued or gone, received at or after <paramref name="since"/>, by id.
    /// A search by Message-ID or recipient uses the history's indexes; of the queue itself it reads every message
    /// (an operator's search, not a path of the relay).
    /// </summary>
    public static IReadOnlyList<MessageHistory> Find(string folder, HistoryQuery query, DateTimeOffset? since)
    {
        using var connection = QueueListing.OpenReadOnly(folder);
        if (connection is null)
        {
            return [];
        }

        using var tx = connection.BeginTransaction(deferred: true); // one snapshot for every query
        return query.Run(since, (lookup, value) => Collect(tx, lookup, value), id => Read(tx, id));
    }

    /// <summary>The attempts of one message, queued or gone, in order.</summary>
    public static IReadOnlyList<DeliveryAttempt> ReadAttempts(string folder, QueueId id)
    {
        using var connection = QueueListing.OpenReadOnly(folder);
        return connection is null ? [] : ReadAttempts(connection, null, id.Value);
    }

    /// <summary>
    /// Outcomes per UTC day and destination domain of the attempts made in [<paramref name="from"/>, <paramref name="to"/>).
    /// </summary>
    /// <remarks>
    /// One pass over <c>attempts</c> on a read-only connection (the dashboard's delivery page, not a path of the relay):
    /// an index on the attempt time would be another B-tree insert per recipient and attempt on the delivery path, and
    /// the table holds only <c>Relay:Queue:HistoryRetention</c> (a week) of attempts. The domain is what follows the
    /// first <c>@</c>, as the recipient was accepted at intake.
    /// </remarks>
    public static IReadOnlyList<DeliveryCount> CountDeliveries(string folder, DateTimeOffset from, DateTimeOffset to)
    {
        using var connection = QueueListing.OpenReadOnly(folder);
        if (connection is null)
        {
            return [];
        }

        using var select = connection.CreateCommand();
        select.CommandText =
            "SELECT at / 86400000 AS day, lower(substr(recipient, instr(recipient, '@') + 1)) AS domain, " +
            "SUM(status = 1), SUM(status = 0), SUM(status = 2) FROM attempts WHERE at >= $from AND at < $to " +
            "GROUP BY day, domain ORDER BY day, domain";
        select.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        select.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        using var reader = select.ExecuteReader();
        var counts = new List<DeliveryCount>();
        while (reader.Read())
        {
            counts.Add(new DeliveryCount(DateOnly.FromDayNumber(UnixEpochDay + (int)reader.GetInt64(0)), reader.GetString(1),
                reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return counts;
    }

    /// <summary>The day number of 1970-01-01, for the days since the Unix epoch the query groups by.</summary>
    internal static readonly int UnixEpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private static List<string> Collect(SqliteTransaction tx, HistoryLookup lookup, string value)
    {
        using var select = tx.CreateCommand(lookup switch
        {
            HistoryLookup.MessageIdInHistory => "SELECT queue_id FROM history WHERE header_message_id = $value",
            HistoryLookup.MessageIdInQueue => "SELECT id FROM messages WHERE header_message_id = $value",
            HistoryLookup.RecipientInHistory => "SELECT queue_id FROM attempts WHERE recipient = $value COLLATE NOCASE",
            _ => "SELECT message_id FROM recipients WHERE address = $value COLLATE NOCASE",
        });
        select.Parameters.AddWithValue("$value", value);
        using var reader = select.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static MessageHistory? Read(SqliteTransaction tx, string id)
    {
        using var select = tx.CreateCommand(
            "SELECT header_message_id, sender, received_at, size, removed_at, deleted FROM history WHERE queue_id = $id " +
            "UNION ALL SELECT header_message_id, sender, received_at, size, NULL, 0 FROM messages WHERE id = $id LIMIT 1");
        select.Parameters.AddWithValue("$id", id);
        using var reader = select.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new MessageHistory(
            new QueueId(id),
            reader.IsDBNull(0) ? null : reader.GetString(0),
            reader.GetString(1),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
            reader.GetInt64(3),
            reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            reader.GetInt64(5) != 0,
            ReadAttempts(tx.Connection!, tx, id));
    }

    private static List<DeliveryAttempt> ReadAttempts(SqliteConnection connection, SqliteTransaction? tx, string id)
    {
        using var select = connection.CreateCommand();
        select.Transaction = tx;
        select.CommandText = $"SELECT {Columns} FROM attempts WHERE queue_id = $id ORDER BY attempt, position";
        select.Parameters.AddWithValue("$id", id);
        using var reader = select.ExecuteReader();
        var attempts = new List<DeliveryAttempt>();
        while (reader.Read())
        {
            attempts.Add(new DeliveryAttempt(
                reader.GetInt32(0),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.GetString(2),
                (RecipientStatus)reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return attempts;
    }
}
