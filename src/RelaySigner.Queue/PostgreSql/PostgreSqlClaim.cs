using Npgsql;
using RelaySigner.Core;
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
/// deliveries in flight across the cluster, since only a due message is ever leased.
/// <para>The pending recipients' ordinals (their envelope indexes, what a VERP token names) come in the same statement,
/// from a second range read of the recipients' primary key the first has just brought into the cache.</para>
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
                claimed.Add((new QueuedMessage(
                    new QueueId(reader.GetString(0)),
                    reader.GetString(1),
                    reader.GetFieldValue<string[]>(6),
                    reader.GetFieldValue<byte[]>(5),
                    reader.GetFieldValue<DateTimeOffset>(2),
                    reader.GetInt32(3),
                    reader.GetInt64(4),
                    reader.GetFieldValue<int[]>(8)), reader.GetFieldValue<DateTimeOffset>(7)));
            }
        }

        // RETURNING gives no order: hand them out oldest due first, as they were chosen.
        return [.. claimed.OrderBy(c => c.Due).ThenBy(c => c.Message.Id.Value, StringComparer.Ordinal).Select(c => c.Message)];
    }
}
