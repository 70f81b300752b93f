using Npgsql;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>When the earliest message becomes due; null when the queue is empty.</summary>
/// <remarks>
/// An unleased message is due at next_attempt_at, a leased one when its lease expires (it was due when claimed, so
/// GREATEST picks the lease). Only leased messages scheduled before the first unleased one can be due earlier than
/// it, so two seeks of <c>queue_messages_schedule</c> answer, reading the deliveries in flight and not the backlog.
/// Two statements, not one with a subquery: only with the first one's answer bound as a parameter does the planner
/// see how few rows lie before it (measured with 200,000 queued: one statement planned a parallel scan of the table,
/// 36 ms).
/// </remarks>
internal static class PostgreSqlNextDue
{
    internal const string FirstUnleasedSql =
        "SELECT next_attempt_at FROM relaysigner.queue_messages WHERE lease_until IS NULL ORDER BY next_attempt_at, id LIMIT 1";

    internal const string LeasedBeforeSql =
        "SELECT MIN(GREATEST(next_attempt_at, lease_until)) FROM relaysigner.queue_messages " +
        "WHERE next_attempt_at <= $1 AND lease_until IS NOT NULL";

    // Every message is leased: the queue holds no more than the deliveries in flight.
    internal const string AnyLeasedSql =
        "SELECT MIN(GREATEST(next_attempt_at, lease_until)) FROM relaysigner.queue_messages WHERE lease_until IS NOT NULL";

    public static async Task<DateTimeOffset?> ExecuteAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        DateTime? firstUnleased;
        await using (var first = new NpgsqlCommand(FirstUnleasedSql, connection))
        {
            firstUnleased = await first.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as DateTime?;
        }

        await using var leased = new NpgsqlCommand(firstUnleased is null ? AnyLeasedSql : LeasedBeforeSql, connection);
        if (firstUnleased is { } bound)
        {
            leased.Parameters.Add(new NpgsqlParameter { Value = bound });
        }

        var leaseExpiry = await leased.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as DateTime?;
        DateTime? due = firstUnleased is null ? leaseExpiry
            : leaseExpiry is null ? firstUnleased
            : leaseExpiry < firstUnleased ? leaseExpiry : firstUnleased;
        return due is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }
}
