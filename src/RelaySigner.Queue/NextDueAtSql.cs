using Microsoft.Data.Sqlite;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue;

/// <summary>When the earliest message with a pending recipient becomes due; null when there is none.</summary>
internal static class NextDueAtSql
{
    /// <summary>
    /// An unleased message is due at next_attempt_at: the first one in <c>ix_messages_schedule</c> order that has no
    /// lease and a pending recipient. A leased one is due again when its lease expires (a claimed message was due, so
    /// MAX picks the lease; an expired lease yields a time in the past, i.e. due now): the few leases come first in the
    /// CROSS JOIN. Both are seeks, so the idle delivery worker's look at the queue does not grow with the backlog.
    /// </summary>
    internal const string Sql =
        "SELECT MIN(due) FROM (" +
        "SELECT * FROM (SELECT m.next_attempt_at AS due FROM messages m " +
        "WHERE " + MessagePredicates.Unleased + " AND " + MessagePredicates.HasPendingRecipient +
        " ORDER BY m.next_attempt_at, m.id LIMIT 1) " +
        "UNION ALL " +
        "SELECT MAX(m.next_attempt_at, l.lease_until) FROM leases l CROSS JOIN messages m ON m.id = l.message_id " +
        "WHERE " + MessagePredicates.HasPendingRecipient + ")";

    public static DateTimeOffset? Execute(SqliteTransaction tx)
    {
        var command = tx.Prepared(Sql);
        command.Parameters.AddWithValue("$pending", (int)RecipientStatus.Pending);
        return command.ExecuteScalar() is long due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : null;
    }
}
