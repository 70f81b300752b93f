using System.Data.Common;
using Npgsql;
using RelaySigner.Core.Feedback;
using RelaySigner.Queue.Feedback;

namespace RelaySigner.Queue.PostgreSql.Feedback;

/// <summary>
/// The statements of the suppression list, the events outbox and the feedback counts in the shared database
/// (<c>Migrations/0005_feedback.sql</c>). Writes are added to a batch of the caller's transaction, so an attempt's
/// feedback travels in the attempt's second round trip and costs no round trip of its own.
/// </summary>
internal static class PostgreSqlFeedbackSql
{
    /// <summary>Slots of the counts per domain and hour (see the migration): more than a node's pool has sessions, so
    /// one busy domain's writers rarely share a row; a read sums at most this many rows per hour.</summary>
    private const string CountSlots = "64";

    public const string FindSql =
        $"SELECT {FeedbackColumns.Suppression} FROM relaysigner.suppressions WHERE domain = $1 AND recipient = ANY($2)";

    public const string RemoveSql = "DELETE FROM relaysigner.suppressions WHERE domain = $1 AND recipient = $2";

    public const string ListSql =
        $"SELECT {FeedbackColumns.Suppression} FROM relaysigner.suppressions " +
        "WHERE ($1::text IS NULL OR domain = $1) AND ($2::text IS NULL OR (domain, recipient) > ($2, $3::text)) " +
        "ORDER BY domain, recipient LIMIT $4";

    public const string ClaimSql = $"""
        WITH due AS (
            SELECT id AS due_id FROM relaysigner.events WHERE next_attempt_at <= $1
            ORDER BY next_attempt_at, id LIMIT $2
            FOR UPDATE SKIP LOCKED)
        UPDATE relaysigner.events SET next_attempt_at = $3 FROM due WHERE id = due.due_id
        RETURNING {FeedbackColumns.Event}
        """;

    public const string CompleteSql = "DELETE FROM relaysigner.events WHERE id = ANY($1)";

    public const string RetrySql =
        "UPDATE relaysigner.events SET attempts = attempts + 1, next_attempt_at = $2 WHERE id = $1";

    public const string CountSql = "SELECT COUNT(*) FROM relaysigner.events";

    public const string RatesSql =
        "SELECT COALESCE(SUM(delivered), 0)::bigint, COALESCE(SUM(hard_bounces), 0)::bigint, COALESCE(SUM(complaints), 0)::bigint " +
        "FROM relaysigner.feedback_counts WHERE domain = $1 AND hour >= $2";

    private const string AddSuppressionsSql =
        "INSERT INTO relaysigner.suppressions (domain, recipient, reason, since, status, queue_id) " +
        "SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::timestamptz[], $5::text[], $6::text[]) " +
        "ON CONFLICT DO NOTHING";

    private const string AppendEventsSql =
        "INSERT INTO relaysigner.events (type, at, recipient, queue_id, message_id, from_domain, kind, status, next_attempt_at) " +
        "SELECT e.*, $9 FROM unnest($1::smallint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) " +
        "AS e (type, at, recipient, queue_id, message_id, from_domain, kind, status)";

    /// <remarks>
    /// The slot is the session's (its backend's process id modulo <see cref="CountSlots"/>), not a random one: the row
    /// stays locked until the attempt's commit is flushed, and with random slots among 16 the delivery workers of one
    /// busy domain kept meeting on a row. pg_stat_statements, <c>load --mode conn --queue postgresql</c>, 3,000
    /// messages: 0.56 ms per upsert with random slots, the costliest statement of the run, more than the message
    /// insert. A session holds one transaction at a time, so it never waits for itself, and sessions rarely share a
    /// slot.
    /// </remarks>
    private const string CountUpsertSql =
        "INSERT INTO relaysigner.feedback_counts (domain, hour, slot, delivered, hard_bounces, complaints) " +
        "VALUES ($1, $2, (pg_backend_pid() % " + CountSlots + ")::smallint, $3, $4, $5) ON CONFLICT (domain, hour, slot) DO UPDATE SET " +
        "delivered = feedback_counts.delivered + excluded.delivered, " +
        "hard_bounces = feedback_counts.hard_bounces + excluded.hard_bounces, " +
        "complaints = feedback_counts.complaints + excluded.complaints";

    public static readonly Func<DbDataReader, int, DateTimeOffset> Timestamp =
        (reader, ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    /// <summary>Adds the suppressions (one statement, the first entry of each recipient stays).</summary>
    /// <returns>The statement's batch command, whose RecordsAffected tells how many were new.</returns>
    public static NpgsqlBatchCommand? AddSuppressions(NpgsqlBatch batch, IReadOnlyList<Suppression> suppressions)
    {
        if (suppressions.Count == 0)
        {
            return null;
        }

        batch.Add(AddSuppressionsSql,
            suppressions.Select(s => SuppressionKey.Domain(s.Domain)).ToArray(),
            suppressions.Select(s => SuppressionKey.Recipient(s.Recipient)).ToArray(),
            suppressions.Select(s => (short)s.Reason).ToArray(),
            suppressions.Select(s => s.Since.ToUniversalTime()).ToArray(),
            suppressions.Select(s => s.Status).ToArray(),
            suppressions.Select(s => s.QueueId?.Value).ToArray());
        return batch.BatchCommands[^1];
    }

    /// <summary>Appends the events, due at <paramref name="now"/> (one statement).</summary>
    public static void AppendEvents(NpgsqlBatch batch, IReadOnlyList<RelayEvent> events, DateTimeOffset now)
    {
        if (events.Count == 0)
        {
            return;
        }

        batch.Add(AppendEventsSql,
            events.Select(e => (short)e.Type).ToArray(),
            events.Select(e => e.At.ToUniversalTime()).ToArray(),
            events.Select(e => e.Recipient).ToArray(),
            events.Select(e => e.QueueId?.Value).ToArray(),
            events.Select(e => e.MessageId).ToArray(),
            events.Select(e => e.FromDomain).ToArray(),
            events.Select(e => e.Kind).ToArray(),
            events.Select(e => e.Status).ToArray(),
            now.ToUniversalTime());
    }

    /// <summary>Adds to a domain's counts for the hour of <paramref name="at"/>: ONE upsert into the session's slot.</summary>
    public static void Count(NpgsqlBatch batch, string domain, DateTimeOffset at, long delivered, long hardBounces, long complaints) =>
        batch.Add(CountUpsertSql, SuppressionKey.Domain(domain), FeedbackHours.Of(at), delivered, hardBounces, complaints);

    /// <summary>An attempt's part of the way back (<see cref="AttemptFeedback"/>), in its second round trip.</summary>
    public static void Write(NpgsqlBatch batch, AttemptFeedback feedback, DateTimeOffset now)
    {
        AddSuppressions(batch, feedback.Suppressions);
        AppendEvents(batch, feedback.Events, now);
        if (feedback.Domain is { } domain && feedback.Delivered + feedback.HardBounces > 0)
        {
            Count(batch, domain, now, feedback.Delivered, feedback.HardBounces, 0);
        }
    }
}
