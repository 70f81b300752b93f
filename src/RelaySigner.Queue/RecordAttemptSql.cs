using Microsoft.Data.Sqlite;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Queue.Feedback;

namespace RelaySigner.Queue;

/// <summary>
/// Saves one attempt: checks the lease is still the caller's, releases it, counts the attempt, reschedules
/// the message, stores each recipient's outcome and reply, and removes the message once no recipient is pending.
/// With history kept, each outcome is also an <c>attempts</c> row and a removed message leaves its <c>history</c> row
/// (<see cref="QueueSchema"/>), in the same transaction.
/// </summary>
internal static class RecordAttemptSql
{
    /// <param name="nextAttemptAt">Unix milliseconds at which the recipients still pending are due again.</param>
    /// <param name="historyAt">Unix milliseconds of this attempt for the history; null when no history is kept.</param>
    /// <param name="delayWarned">A delay warning is queued with this attempt: the message is marked, in the same
    /// UPDATE that reschedules it, so it gets no second one.</param>
    /// <returns>Recipients still pending, attempts so far, the outcomes ignored because their recipient
    /// already had a final outcome (a late report must not reopen it), and the message's origin (read with the lease
    /// check, from the same row) for the attempt's feedback.</returns>
    /// <exception cref="KeyNotFoundException">No message <paramref name="lease"/> names.</exception>
    /// <exception cref="LeaseLostException">The message is no longer leased with this token.</exception>
    /// <exception cref="ArgumentException">An outcome names an address that is not a recipient of the message.</exception>
    public static (long Pending, long Attempts, IReadOnlyList<RecipientOutcome> Ignored, MessageOrigin Origin) Execute(
        SqliteTransaction tx, QueueLease lease, IReadOnlyList<RecipientOutcome> outcomes, long nextAttemptAt, long? historyAt,
        bool delayWarned = false)
    {
        var id = lease.Id;
        var check = tx.Prepared(
            "SELECT m.attempts + 1, m.header_message_id, m.from_domain, m.from_org_domain FROM leases l " +
            "CROSS JOIN messages m ON m.id = l.message_id WHERE l.message_id = $id AND l.token = $token");
        check.Parameters.AddWithValue("$id", id.Value);
        check.Parameters.AddWithValue("$token", lease.Token);
        long? held = null;
        MessageOrigin origin = default;
        using (var reader = check.ExecuteReader())
        {
            if (reader.Read())
            {
                held = reader.GetInt64(0);
                origin = new MessageOrigin(Text(reader, 1), Text(reader, 2), Text(reader, 3));
            }
        }

        if (held is not { } attempts)
        {
            var exists = tx.Prepared("SELECT EXISTS (SELECT 1 FROM messages WHERE id = $id)");
            exists.Parameters.AddWithValue("$id", id.Value);
            throw exists.ExecuteScalar() is 1L
                ? new LeaseLostException(lease)
                : new KeyNotFoundException($"The queue holds no message {id}.");
        }

        var release = tx.Prepared("DELETE FROM leases WHERE message_id = $id");
        release.Parameters.AddWithValue("$id", id.Value);
        release.ExecuteNonQuery();

        var ignored = SetStatuses(tx, id, outcomes);
        if (historyAt is { } at)
        {
            HistorySql.AddAttempts(tx, id, attempts, at, outcomes);
        }

        var count = tx.Prepared("SELECT COUNT(*) FROM recipients WHERE message_id = $id AND status = $pending");
        count.Parameters.AddWithValue("$id", id.Value);
        count.Parameters.AddWithValue("$pending", (int)RecipientStatus.Pending);
        var stillPending = (long)count.ExecuteScalar()!;

        if (stillPending == 0)
        {
            // Every recipient has a final outcome: the message leaves the queue (promise 2: only now), its content
            // with it (trigger messages_delete). It is not updated first: that would only write the row once more.
            if (historyAt is { } removedAt)
            {
                HistorySql.AddRemoved(tx, id, attempts, removedAt);
            }

            var deleteRecipients = tx.Prepared("DELETE FROM recipients WHERE message_id = $id");
            deleteRecipients.Parameters.AddWithValue("$id", id.Value);
            deleteRecipients.ExecuteNonQuery();
            var deleteMessage = tx.Prepared("DELETE FROM messages WHERE id = $id");
            deleteMessage.Parameters.AddWithValue("$id", id.Value);
            deleteMessage.ExecuteNonQuery();
        }
        else
        {
            var update = tx.Prepared(
                "UPDATE messages SET attempts = $attempts, next_attempt_at = $next, " +
                "dsn_delay_warned = CASE WHEN $warned THEN 1 ELSE dsn_delay_warned END WHERE id = $id");
            update.Parameters.AddWithValue("$attempts", attempts);
            update.Parameters.AddWithValue("$next", nextAttemptAt);
            update.Parameters.AddWithValue("$warned", delayWarned);
            update.Parameters.AddWithValue("$id", id.Value);
            update.ExecuteNonQuery();
        }

        return (stillPending, attempts, ignored, origin);
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <returns>The outcomes not stored because their recipient is no longer pending.</returns>
    private static List<RecipientOutcome> SetStatuses(SqliteTransaction tx, QueueId id, IReadOnlyList<RecipientOutcome> outcomes)
    {
        // Only a pending recipient takes an outcome, so a delivered or failed one stays final.
        var setStatus = tx.Prepared(
            "UPDATE recipients SET status = $status, last_reply = $reply " +
            "WHERE message_id = $id AND address = $address AND status = $pending");
        setStatus.Parameters.AddWithValue("$id", id.Value);
        setStatus.Parameters.AddWithValue("$pending", (int)RecipientStatus.Pending);
        var status = setStatus.Parameters.Add("$status", SqliteType.Integer);
        var reply = setStatus.Parameters.Add("$reply", SqliteType.Text);
        var address = setStatus.Parameters.Add("$address", SqliteType.Text);

        var exists = tx.Prepared(
            "SELECT EXISTS (SELECT 1 FROM recipients WHERE message_id = $id AND address = $address)");
        exists.Parameters.AddWithValue("$id", id.Value);
        var existsAddress = exists.Parameters.Add("$address", SqliteType.Text);

        var ignored = new List<RecipientOutcome>();
        foreach (var outcome in outcomes)
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

        return ignored;
    }
}
