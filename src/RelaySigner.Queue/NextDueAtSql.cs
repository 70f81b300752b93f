using Microsoft.Data.Sqlite;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue;

/// <summary>When the earliest message with a pending recipient becomes due; null when there is none.</summary>
internal static class NextDueAtSql
{
    public static DateTimeOffset? Execute(SqliteTransaction tx)
    {
        // A leased message is due again when its lease expires, an unleased one at next_attempt_at.
        // (After a claim next_attempt_at <= lease_until, so MAX picks the lease; an expired lease
        // yields a time in the past, i.e. due now.) The (next_attempt_at, lease_until) index covers it.
        using var command = tx.CreateCommand(
            "SELECT MIN(MAX(m.next_attempt_at, COALESCE(m.lease_until, m.next_attempt_at))) FROM messages m " +
            "WHERE EXISTS (SELECT 1 FROM recipients r WHERE r.message_id = m.id AND r.status = $pending)");
        command.Parameters.AddWithValue("$pending", (int)RecipientStatus.Pending);
        return command.ExecuteScalar() is long due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : null;
    }
}
