namespace RelaySigner.Queue.PostgreSql;

/// <summary>When the earliest message becomes due; null when the queue is empty.</summary>
/// <remarks>
/// An unleased message is due at next_attempt_at, a leased one when its lease expires (it was due when claimed, so
/// GREATEST picks the lease). Only the leased messages ahead of the first unleased one in schedule order can be due
/// earlier than it, so the scan of <c>queue_messages_schedule</c> stops there: it reads the deliveries in flight, not
/// the backlog. Every message in the table has a pending recipient: the last final outcome deletes it.
/// </remarks>
internal static class PostgreSqlNextDue
{
    internal const string Sql = """
        SELECT MIN(GREATEST(m.next_attempt_at, COALESCE(m.lease_until, m.next_attempt_at)))
        FROM relaysigner.queue_messages m
        WHERE m.next_attempt_at <= COALESCE(
            (SELECT f.next_attempt_at FROM relaysigner.queue_messages f WHERE f.lease_until IS NULL
             ORDER BY f.next_attempt_at, f.id LIMIT 1),
            'infinity')
        """;
}
