using Npgsql;
using RelaySigner.Core;
using RelaySigner.Core.Dsn;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// Leases the oldest due messages that no live lease holds, in one statement: the rows are locked with
/// <c>FOR UPDATE SKIP LOCKED</c>, so nodes claiming at the same moment pass over each other's rows instead of waiting
/// for them or taking them twice (promise 2), and each gets a new token from a sequence, which never repeats.
/// </summary>
/// <remarks>
/// A lease that expired (its node died or hung) counts as no lease; such a message has been due the longest, so it
/// comes first in <c>queue_messages_schedule</c> order. The leased rows the scan passes over are at most the
/// deliveries in flight across the cluster, since only a due message is ever leased. The pending recipients'
/// ordinals (their envelope indexes, what a VERP token names) and DSN parameters (NOTIFY, ORCPT) come as more arrays
/// over the same primary-key range the addresses were just read from (its pages are in the buffer cache by then), in
/// the same statement: no round trip more.
/// </remarks>
internal static class PostgreSqlClaim
{
    internal const string Sql = """
        WITH due AS (
            SELECT id FROM relaysigner.queue_messages
            WHERE next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
            ORDER BY next_attempt_at, id
            LIMIT $2
            FOR UPDATE SKIP LOCKED)
        UPDATE relaysigner.queue_messages m
        SET lease_token = nextval('relaysigner.lease_tokens'), lease_until = $3, lease_node = $4
        FROM due WHERE m.id = due.id
        RETURNING m.id, m.sender, m.received_at, m.attempts, m.lease_token, m.content,
            ARRAY(SELECT r.address FROM relaysigner.queue_recipients r
                  WHERE r.message_id = m.id AND r.status = 0 ORDER BY r.ordinal),
            m.next_attempt_at,
            ARRAY(SELECT r.ordinal FROM relaysigner.queue_recipients r
                  WHERE r.message_id = m.id AND r.status = 0 ORDER BY r.ordinal),
            m.dsn_ret, m.dsn_envid, m.dsn_delay_warned,
            ARRAY(SELECT r.dsn_notify FROM relaysigner.queue_recipients r
                  WHERE r.message_id = m.id AND r.status = 0 ORDER BY r.ordinal),
            ARRAY(SELECT r.dsn_orcpt FROM relaysigner.queue_recipients r
                  WHERE r.message_id = m.id AND r.status = 0 ORDER BY r.ordinal)
        """;

    public static async Task<List<QueuedMessage>> ExecuteAsync(NpgsqlTransaction tx, DateTimeOffset now,
        DateTimeOffset leaseUntil, string node, int maxCount, CancellationToken cancellationToken)
    {
        await using var command = PostgreSqlBatches.Command(tx, Sql, now.ToUniversalTime(), maxCount, leaseUntil.ToUniversalTime(), node);
        var claimed = new List<(QueuedMessage Message, DateTimeOffset Due)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var addresses = reader.GetFieldValue<string[]>(6);
                claimed.Add((new QueuedMessage(
                    new QueueId(reader.GetString(0)),
                    reader.GetString(1),
                    addresses,
                    reader.GetFieldValue<byte[]>(5),
                    reader.GetFieldValue<DateTimeOffset>(2),
                    reader.GetInt32(3),
                    reader.GetInt64(4),
                    QueueDsn.Request(
                        reader.IsDBNull(9) ? null : (DsnReturn)reader.GetInt16(9),
                        reader.IsDBNull(10) ? null : reader.GetString(10),
                        RecipientParameters(addresses, reader.GetFieldValue<short?[]>(12), reader.GetFieldValue<string?[]>(13))),
                    !reader.IsDBNull(11) && reader.GetBoolean(11),
                    reader.GetFieldValue<int[]>(8)), reader.GetFieldValue<DateTimeOffset>(7)));
            }
        }

        // RETURNING gives no order: hand them out oldest due first, as they were chosen.
        return [.. claimed.OrderBy(c => c.Due).ThenBy(c => c.Message.Id.Value, StringComparer.Ordinal).Select(c => c.Message)];
    }

    /// <returns>NOTIFY/ORCPT by address for the recipients that have any; null when none has.</returns>
    private static Dictionary<string, RecipientDsn>? RecipientParameters(string[] addresses, short?[] notify, string?[] orcpt)
    {
        Dictionary<string, RecipientDsn>? result = null;
        for (var i = 0; i < addresses.Length; i++)
        {
            if (notify[i] is not null || orcpt[i] is not null)
            {
                (result ??= new(StringComparer.Ordinal))[addresses[i]] =
                    new RecipientDsn(notify[i] is { } flags ? (DsnNotify)flags : null, orcpt[i]);
            }
        }

        return result;
    }
}
