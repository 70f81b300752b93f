using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using RelaySigner.Core;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Queue.Feedback;

/// <summary>
/// The statements of the suppression list, the events outbox and the feedback counts in <c>queue.db</c>
/// (<see cref="QueueSchema"/>, version 6), run in the caller's transaction: the relay's writer loop or an operator's
/// connection (<see cref="ISqliteTransactions"/>). Every one is prepared once per connection; those of the message
/// path (the lookup at DATA, what an attempt writes) are index seeks.
/// </summary>
internal static class SqliteFeedbackSql
{
    private static readonly Func<DbDataReader, int, DateTimeOffset> UnixMilliseconds =
        (reader, ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    /// <summary>
    /// The entries among <paramref name="recipients"/> (given in <see cref="SuppressionKey.Recipient"/> form) in one
    /// statement: one seek of the primary key per recipient; one recipient, the common case, needs no JSON.
    /// </summary>
    public static List<Suppression> Find(SqliteTransaction tx, string domain, IReadOnlyList<string> recipients)
    {
        var command = recipients.Count == 1
            ? tx.Prepared($"SELECT {FeedbackColumns.Suppression} FROM suppressions WHERE domain = $domain AND recipient = $recipient")
            : tx.Prepared($"SELECT {FeedbackColumns.Suppression} FROM suppressions WHERE domain = $domain AND recipient IN (SELECT value FROM json_each($recipients))");
        command.Parameters.AddWithValue("$domain", domain);
        if (recipients.Count == 1)
        {
            command.Parameters.AddWithValue("$recipient", recipients[0]);
        }
        else
        {
            command.Parameters.AddWithValue("$recipients", JsonSerializer.Serialize(recipients));
        }

        return ReadSuppressions(command);
    }

    /// <summary>Adds the entry unless the domain lists the recipient already (the first entry stays).</summary>
    /// <returns>Whether it was added.</returns>
    public static bool Add(SqliteTransaction tx, Suppression suppression)
    {
        var insert = tx.Prepared(
            "INSERT INTO suppressions (domain, recipient, reason, since, status, queue_id) " +
            "VALUES ($domain, $recipient, $reason, $since, $status, $queueId) ON CONFLICT DO NOTHING");
        insert.Parameters.AddWithValue("$domain", SuppressionKey.Domain(suppression.Domain));
        insert.Parameters.AddWithValue("$recipient", SuppressionKey.Recipient(suppression.Recipient));
        insert.Parameters.AddWithValue("$reason", (int)suppression.Reason);
        insert.Parameters.AddWithValue("$since", suppression.Since.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$status", (object?)suppression.Status ?? DBNull.Value);
        insert.Parameters.AddWithValue("$queueId", (object?)suppression.QueueId?.Value ?? DBNull.Value);
        return insert.ExecuteNonQuery() == 1;
    }

    public static bool Remove(SqliteTransaction tx, string domain, string recipient)
    {
        var delete = tx.Prepared("DELETE FROM suppressions WHERE domain = $domain AND recipient = $recipient");
        delete.Parameters.AddWithValue("$domain", SuppressionKey.Domain(domain));
        delete.Parameters.AddWithValue("$recipient", SuppressionKey.Recipient(recipient));
        return delete.ExecuteNonQuery() == 1;
    }

    /// <summary>Up to <paramref name="limit"/> entries after <paramref name="after"/> in (domain, recipient) order.</summary>
    public static List<Suppression> ListPage(SqliteTransaction tx, string? domain, (string Domain, string Recipient)? after, int limit)
    {
        var command = tx.Prepared(
            $"SELECT {FeedbackColumns.Suppression} FROM suppressions " +
            "WHERE ($domain IS NULL OR domain = $domain) AND ($afterDomain IS NULL OR (domain, recipient) > ($afterDomain, $afterRecipient)) " +
            "ORDER BY domain, recipient LIMIT $limit");
        command.Parameters.AddWithValue("$domain", (object?)domain ?? DBNull.Value);
        command.Parameters.AddWithValue("$afterDomain", (object?)after?.Domain ?? DBNull.Value);
        command.Parameters.AddWithValue("$afterRecipient", (object?)after?.Recipient ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        return ReadSuppressions(command);
    }

    /// <summary>Appends an event, due at once.</summary>
    public static void Append(SqliteTransaction tx, RelayEvent relayEvent, long now)
    {
        var insert = tx.Prepared(
            "INSERT INTO events (type, at, recipient, queue_id, message_id, from_domain, kind, status, next_attempt_at) " +
            "VALUES ($type, $at, $recipient, $queueId, $messageId, $fromDomain, $kind, $status, $now)");
        insert.Parameters.AddWithValue("$type", (int)relayEvent.Type);
        insert.Parameters.AddWithValue("$at", relayEvent.At.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$recipient", relayEvent.Recipient);
        insert.Parameters.AddWithValue("$queueId", (object?)relayEvent.QueueId?.Value ?? DBNull.Value);
        insert.Parameters.AddWithValue("$messageId", (object?)relayEvent.MessageId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$fromDomain", (object?)relayEvent.FromDomain ?? DBNull.Value);
        insert.Parameters.AddWithValue("$kind", (object?)relayEvent.Kind ?? DBNull.Value);
        insert.Parameters.AddWithValue("$status", (object?)relayEvent.Status ?? DBNull.Value);
        insert.Parameters.AddWithValue("$now", now);
        insert.ExecuteNonQuery();
    }

    /// <summary>
    /// Leases due events by moving their due time to the lease's end: one whose sender died is due again then.
    /// The writer loop runs one operation at a time, so two claims never see the same event due.
    /// </summary>
    public static List<OutboxEvent> Claim(SqliteTransaction tx, long now, long leaseUntil, int maxCount)
    {
        var claim = tx.Prepared(
            "UPDATE events SET next_attempt_at = $until WHERE id IN " +
            "(SELECT id FROM events WHERE next_attempt_at <= $now ORDER BY next_attempt_at, id LIMIT $max) " +
            $"RETURNING {FeedbackColumns.Event}");
        claim.Parameters.AddWithValue("$now", now);
        claim.Parameters.AddWithValue("$until", leaseUntil);
        claim.Parameters.AddWithValue("$max", maxCount);
        var claimed = new List<OutboxEvent>();
        using (var reader = claim.ExecuteReader())
        {
            while (reader.Read())
            {
                claimed.Add(FeedbackColumns.ReadEvent(reader, UnixMilliseconds));
            }
        }

        claimed.Sort((a, b) => a.Id.CompareTo(b.Id)); // RETURNING gives no order
        return claimed;
    }

    public static void Complete(SqliteTransaction tx, IReadOnlyList<long> ids)
    {
        var delete = tx.Prepared("DELETE FROM events WHERE id = $id");
        var id = delete.Parameters.Add("$id", SqliteType.Integer);
        foreach (var value in ids)
        {
            id.Value = value;
            delete.ExecuteNonQuery();
        }
    }

    public static void Retry(SqliteTransaction tx, long id, long nextAttemptAt)
    {
        var retry = tx.Prepared("UPDATE events SET attempts = attempts + 1, next_attempt_at = $next WHERE id = $id");
        retry.Parameters.AddWithValue("$id", id);
        retry.Parameters.AddWithValue("$next", nextAttemptAt);
        retry.ExecuteNonQuery();
    }

    /// <remarks>Counts the rows (the outbox is small when the receiver keeps up; a gauge reads it, not a message).</remarks>
    public static long Count(SqliteTransaction tx) => (long)tx.Prepared("SELECT COUNT(*) FROM events").ExecuteScalar()!;

    /// <summary>
    /// Adds to the counts of <paramref name="domain"/> for the hour of <paramref name="at"/>: ONE upsert, whatever it
    /// adds (an attempt's delivered and hard-bounced recipients together), a seek and a rewrite of one small row.
    /// </summary>
    public static void Count(SqliteTransaction tx, string domain, DateTimeOffset at, long delivered, long hardBounces, long complaints)
    {
        var upsert = tx.Prepared(
            "INSERT INTO feedback_counts (domain, hour, delivered, hard_bounces, complaints) " +
            "VALUES ($domain, $hour, $delivered, $hard, $complaints) ON CONFLICT (domain, hour) DO UPDATE SET " +
            "delivered = delivered + excluded.delivered, hard_bounces = hard_bounces + excluded.hard_bounces, " +
            "complaints = complaints + excluded.complaints");
        upsert.Parameters.AddWithValue("$domain", SuppressionKey.Domain(domain));
        upsert.Parameters.AddWithValue("$hour", FeedbackHours.Of(at));
        upsert.Parameters.AddWithValue("$delivered", delivered);
        upsert.Parameters.AddWithValue("$hard", hardBounces);
        upsert.Parameters.AddWithValue("$complaints", complaints);
        upsert.ExecuteNonQuery();
    }

    public static FeedbackRates Rates(SqliteTransaction tx, string domain, DateTimeOffset since)
    {
        var sum = tx.Prepared(
            "SELECT COALESCE(SUM(delivered), 0), COALESCE(SUM(hard_bounces), 0), COALESCE(SUM(complaints), 0) " +
            "FROM feedback_counts WHERE domain = $domain AND hour >= $hour");
        sum.Parameters.AddWithValue("$domain", SuppressionKey.Domain(domain));
        sum.Parameters.AddWithValue("$hour", FeedbackHours.Of(since));
        using var reader = sum.ExecuteReader();
        reader.Read();
        return new FeedbackRates(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>Stores an attempt's part of the way back (<see cref="AttemptFeedback"/>) in its transaction.</summary>
    public static void Write(SqliteTransaction tx, AttemptFeedback feedback, long now)
    {
        foreach (var suppression in feedback.Suppressions)
        {
            Add(tx, suppression);
        }

        foreach (var relayEvent in feedback.Events)
        {
            Append(tx, relayEvent, now);
        }

        if (feedback.Domain is { } domain && feedback.Delivered + feedback.HardBounces > 0)
        {
            Count(tx, domain, DateTimeOffset.FromUnixTimeMilliseconds(now), feedback.Delivered, feedback.HardBounces, 0);
        }
    }

    private static List<Suppression> ReadSuppressions(SqliteCommand command)
    {
        var found = new List<Suppression>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            found.Add(FeedbackColumns.ReadSuppression(reader, UnixMilliseconds));
        }

        return found;
    }
}
