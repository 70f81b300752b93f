using Microsoft.Data.Sqlite;
using RelaySigner.Core;
using RelaySigner.Core.Dsn;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue;

/// <summary>
/// Selects the oldest due, unleased messages that still have a pending recipient and leases them, in the
/// caller's transaction: select and lease are one atomic step, so two workers never get the same message
/// (promise 2). Each claim takes a new lease token, which the attempt must present to be recorded.
/// </summary>
/// <remarks>
/// Two seeks instead of one query over messages left-joined to their leases: that would need a sort of every due
/// message for the ORDER BY, and the cost of a claim would grow with the backlog. Expired leases (a worker that hung
/// past its lease) come first: they have been due the longest. A lease is a row in <c>leases</c>, so a claim writes
/// no page of the backlog (<see cref="QueueSchema"/>).
/// </remarks>
internal static class ClaimDueSql
{
    private const string Columns =
        "SELECT m.id, m.sender, m.received_at, m.attempts, m.content_id, m.dsn_ret, m.dsn_envid, m.dsn_delay_warned ";

    /// <summary>Due messages whose lease has expired, through <c>ix_leases_until</c> (CROSS JOIN: leases first).</summary>
    internal const string ExpiredSql = Columns + "FROM leases l CROSS JOIN messages m ON m.id = l.message_id " +
        "WHERE l.lease_until <= $now AND m.next_attempt_at <= $now AND " + MessagePredicates.HasPendingRecipient +
        " ORDER BY l.lease_until LIMIT $max";

    /// <summary>
    /// Due unleased messages in due order, through <c>ix_messages_schedule</c> (no sort, stops at $max). The leased
    /// ones it passes are at most the deliveries in flight.
    /// </summary>
    internal const string ReadySql = Columns + "FROM messages m " +
        "WHERE m.next_attempt_at <= $now AND " + MessagePredicates.Unleased + " AND " + MessagePredicates.HasPendingRecipient +
        " ORDER BY m.next_attempt_at, m.id LIMIT $max";

    /// <param name="now">Unix milliseconds; what is due at or before it, with no live lease, is claimed.</param>
    /// <param name="leaseUntil">Unix milliseconds until which the claimed messages are leased.</param>
    public static IReadOnlyList<QueuedMessage> Execute(SqliteTransaction tx, long now, long leaseUntil, int maxCount)
    {
        var claimed = new List<(string Id, string Sender, long ReceivedAt, int Attempts, long ContentId, DsnReturn? Ret, string? EnvelopeId, bool DelayWarned)>();
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
                claimed.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(4),
                    reader.IsDBNull(5) ? null : (DsnReturn)reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                    !reader.IsDBNull(7)));
            }
        }

        if (claimed.Count == 0)
        {
            return [];
        }

        // The tokens of this claim: the next claimed.Count numbers of the counter, so a token never repeats.
        var counter = tx.Prepared("UPDATE lease_counter SET last = last + $count RETURNING last");
        counter.Parameters.AddWithValue("$count", claimed.Count);
        var token = (long)counter.ExecuteScalar()! - claimed.Count;

        // An expired lease is taken over: its row gets the new expiry and token.
        var lease = tx.Prepared(
            "INSERT INTO leases (message_id, lease_until, token) VALUES ($id, $lease, $token) " +
            "ON CONFLICT (message_id) DO UPDATE SET lease_until = excluded.lease_until, token = excluded.token");
        lease.Parameters.AddWithValue("$lease", leaseUntil);
        var leaseId = lease.Parameters.Add("$id", SqliteType.Text);
        var leaseToken = lease.Parameters.Add("$token", SqliteType.Integer);

        // Each pending recipient's ordinal (its envelope index, what a VERP token names) comes from the same key seek
        // as its address: nothing more per message.
        var pending = tx.Prepared(
            "SELECT ordinal, address, dsn_notify, dsn_orcpt FROM recipients WHERE message_id = $id AND status = $pending ORDER BY ordinal");
        var pendingId = pending.Parameters.Add("$id", SqliteType.Text);
        pending.Parameters.AddWithValue("$pending", (int)RecipientStatus.Pending);

        var result = new List<QueuedMessage>(claimed.Count);
        foreach (var message in claimed)
        {
            leaseId.Value = message.Id;
            leaseToken.Value = ++token;
            lease.ExecuteNonQuery();

            pendingId.Value = message.Id;
            var addresses = new List<string>();
            var indexes = new List<int>();
            Dictionary<string, RecipientDsn>? recipientDsn = null;
            using (var reader = pending.ExecuteReader())
            {
                while (reader.Read())
                {
                    indexes.Add(reader.GetInt32(0));
                    addresses.Add(reader.GetString(1));
                    if (!reader.IsDBNull(2) || !reader.IsDBNull(3))
                    {
                        (recipientDsn ??= new(StringComparer.Ordinal))[reader.GetString(1)] = new RecipientDsn(
                            reader.IsDBNull(2) ? null : (DsnNotify)reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3));
                    }
                }
            }

            result.Add(new QueuedMessage(
                new QueueId(message.Id),
                message.Sender,
                addresses,
                MessageContentSql.Read(tx, message.ContentId) ?? [],
                DateTimeOffset.FromUnixTimeMilliseconds(message.ReceivedAt),
                message.Attempts,
                token,
                QueueDsn.Request(message.Ret, message.EnvelopeId, recipientDsn),
                message.DelayWarned,
                indexes));
        }

        return result;
    }
}
