using Microsoft.Data.Sqlite;
using RelaySigner.Core;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue;

/// <summary>
/// Selects the oldest due, unleased messages that still have a pending recipient and leases them, in the
/// caller's transaction: select and lease are one atomic step, so two workers never get the same message
/// (promise 2). Each claim takes a new lease token, which the attempt must present to be recorded.
/// </summary>
/// <remarks>
/// Two seeks instead of one query with <c>lease_until IS NULL OR lease_until &lt;= $now</c>: an OR across the two
/// partial indexes would need a sort of every due message for the ORDER BY, and the cost of a claim would grow with
/// the backlog. Expired leases (a worker that hung past its lease) come first: they have been due the longest.
/// </remarks>
internal static class ClaimDueSql
{
    private const string Columns = "SELECT m.id, m.sender, m.received_at, m.attempts FROM messages m ";
    private const string HasPending = "EXISTS (SELECT 1 FROM recipients r WHERE r.message_id = m.id AND r.status = $pending) ";

    /// <summary>Due messages whose lease has expired, through <c>ix_messages_leased</c>.</summary>
    internal const string ExpiredSql = Columns +
        "WHERE m.lease_until IS NOT NULL AND m.lease_until <= $now AND m.next_attempt_at <= $now AND " + HasPending +
        "ORDER BY m.lease_until LIMIT $max";

    /// <summary>Due unleased messages in due order, through <c>ix_messages_ready</c> (no sort, stops at $max).</summary>
    internal const string ReadySql = Columns +
        "WHERE m.lease_until IS NULL AND m.next_attempt_at <= $now AND " + HasPending +
        "ORDER BY m.next_attempt_at, m.id LIMIT $max";

    /// <param name="now">Unix milliseconds; what is due at or before it, with no live lease, is claimed.</param>
    /// <param name="leaseUntil">Unix milliseconds until which the claimed messages are leased.</param>
    public static IReadOnlyList<QueuedMessage> Execute(SqliteTransaction tx, long now, long leaseUntil, int maxCount)
    {
        var claimed = new List<(string Id, string Sender, long ReceivedAt, int Attempts)>();
        foreach (var sql in (ReadOnlySpan<string>)[ExpiredSql, ReadySql])
        {
            if (claimed.Count == maxCount)
            {
                break;
            }

            var select = tx.Prepared(sql);
            select.Parameters.AddWithValue("$now", now);
            select.Parameters.AddWithValue("$pending", (int)RecipientStatus.Pending);
            select.Parameters.AddWithValue("$max", maxCount - claimed.Count);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                claimed.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3)));
            }
        }

        if (claimed.Count == 0)
        {
            return [];
        }

        var lease = tx.Prepared(
            "UPDATE messages SET lease_until = $lease, lease_token = lease_token + 1 WHERE id = $id RETURNING lease_token");
        lease.Parameters.AddWithValue("$lease", leaseUntil);
        var leaseId = lease.Parameters.Add("$id", SqliteType.Text);

        var pending = tx.Prepared(
            "SELECT address FROM recipients WHERE message_id = $id AND status = $pending ORDER BY ordinal");
        var pendingId = pending.Parameters.Add("$id", SqliteType.Text);
        pending.Parameters.AddWithValue("$pending", (int)RecipientStatus.Pending);

        var result = new List<QueuedMessage>(claimed.Count);
        foreach (var message in claimed)
        {
            leaseId.Value = message.Id;
            var token = (long)lease.ExecuteScalar()!;

            pendingId.Value = message.Id;
            var addresses = new List<string>();
            using (var reader = pending.ExecuteReader())
            {
                while (reader.Read())
                {
                    addresses.Add(reader.GetString(0));
                }
            }

            result.Add(new QueuedMessage(
                new QueueId(message.Id),
                message.Sender,
                addresses,
                MessageContentSql.Read(tx, message.Id) ?? [],
                DateTimeOffset.FromUnixTimeMilliseconds(message.ReceivedAt),
                message.Attempts,
                token));
        }

        return result;
    }
}
