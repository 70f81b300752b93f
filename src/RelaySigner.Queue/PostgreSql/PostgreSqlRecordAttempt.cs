using Npgsql;
using RelaySigner.Core;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Queue;
using RelaySigner.Queue.Feedback;
using RelaySigner.Queue.PostgreSql.Feedback;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// Saves one attempt in the caller's transaction, in two round trips: first the message row is locked if, and only
/// if, it still carries the caller's lease token (the fencing token: a node whose lease expired and was taken over
/// cannot record over the new holder) and its recipients are read; then either the message is deleted (no recipient
/// pending: promise 2, only now) or it is rescheduled, unleased, with each recipient's outcome and reply. With
/// history kept, the second round trip also writes the attempt's rows and, for a removed message, its history row.
/// </summary>
internal static class PostgreSqlRecordAttempt
{
    private const string LockSql =
        "SELECT attempts, header_message_id, from_domain, from_org_domain FROM relaysigner.queue_messages " +
        "WHERE id = $1 AND lease_token = $2 FOR UPDATE";

    private const string RecipientsSql =
        "SELECT ordinal, address, status FROM relaysigner.queue_recipients WHERE message_id = $1 ORDER BY ordinal";

    private const string ExistsSql = "SELECT EXISTS (SELECT 1 FROM relaysigner.queue_messages WHERE id = $1)";

    // The recipients go with it (ON DELETE CASCADE).
    private const string DeleteSql = "DELETE FROM relaysigner.queue_messages WHERE id = $1";

    private const string RescheduleSql =
        "UPDATE relaysigner.queue_messages SET attempts = $2, next_attempt_at = $3, " +
        "lease_token = NULL, lease_until = NULL, lease_node = NULL, " +
        "dsn_delay_warned = CASE WHEN $4 THEN true ELSE dsn_delay_warned END WHERE id = $1";

    private const string SetOutcomesSql =
        "UPDATE relaysigner.queue_recipients r SET status = o.status, last_reply = o.reply " +
        "FROM unnest($2::integer[], $3::smallint[], $4::text[]) AS o (ordinal, status, reply) " +
        "WHERE r.message_id = $1 AND r.ordinal = o.ordinal";

    /// <param name="now">The time of this attempt (its history rows, events and counts).</param>
    /// <param name="keepsHistory">Whether the attempt's history is written.</param>
    /// <param name="eventsEnabled">Whether the attempt's events are written (<see cref="AttemptFeedback"/>).</param>
    /// <param name="delayWarned">A delay warning is queued with this attempt: the message is marked in the same
    /// UPDATE that reschedules it, so it gets no second one.</param>
    /// <param name="alsoInSecondTrip">Adds further statements of the same transaction (a DSN) to the second round trip.</param>
    /// <returns>Recipients still pending, attempts so far, the outcomes ignored because their recipient
    /// already had a final outcome (a late report must not reopen it), and the recipients suppressed.</returns>
    /// <exception cref="KeyNotFoundException">No message <paramref name="lease"/> names.</exception>
    /// <exception cref="LeaseLostException">The message is no longer leased with this token.</exception>
    /// <exception cref="ArgumentException">An outcome names an address that is not a recipient of the message.</exception>
    public static async Task<(long Pending, long Attempts, IReadOnlyList<RecipientOutcome> Ignored, IReadOnlyList<Suppression> Suppressed)> ExecuteAsync(
        NpgsqlTransaction tx, QueueLease lease, IReadOnlyList<RecipientOutcome> outcomes, DateTimeOffset nextAttemptAt,
        DateTimeOffset now, bool keepsHistory, bool eventsEnabled, bool delayWarned, Action<NpgsqlBatch> alsoInSecondTrip,
        CancellationToken cancellationToken)
    {
        var id = lease.Id;
        DateTimeOffset? historyAt = keepsHistory ? now : null;
        int? attemptsBefore = null;
        MessageOrigin origin = default;
        var recipients = new List<(int Ordinal, string Address, RecipientStatus Status, string? Reply)>();
        await using (var first = new NpgsqlBatch(tx.Connection, tx).Add(LockSql, id.Value, lease.Token).Add(RecipientsSql, id.Value))
        await using (var reader = await first.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                attemptsBefore = reader.GetInt32(0);
                origin = new MessageOrigin(Text(reader, 1), Text(reader, 2), Text(reader, 3));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                recipients.Add((reader.GetInt32(0), reader.GetString(1), (RecipientStatus)reader.GetInt16(2), null));
            }
        }

        if (attemptsBefore is not { } before)
        {
            await using var exists = PostgreSqlBatches.Command(tx, ExistsSql, id.Value);
            throw await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true
                ? new LeaseLostException(lease)
                : new KeyNotFoundException($"The queue holds no message {id}.");
        }

        var (changed, ignored) = Apply(id, recipients, outcomes);
        var pending = recipients.Count(r => r.Status == RecipientStatus.Pending);
        var attempts = before + 1;

        await using var second = new NpgsqlBatch(tx.Connection, tx);
        if (historyAt is { } at)
        {
            PostgreSqlHistory.AddAttempts(second, id, attempts, at, outcomes);
        }

        if (pending == 0)
        {
            if (historyAt is { } removedAt)
            {
                PostgreSqlHistory.AddRemoved(second, id, attempts, removedAt);
            }

            second.Add(DeleteSql, id.Value);
        }
        else
        {
            second.Add(RescheduleSql, id.Value, attempts, nextAttemptAt.ToUniversalTime(), delayWarned);
            if (changed.Count > 0)
            {
                second.Add(SetOutcomesSql, id.Value,
                    changed.Select(i => recipients[i].Ordinal).ToArray(),
                    changed.Select(i => (short)recipients[i].Status).ToArray(),
                    changed.Select(i => recipients[i].Reply).ToArray());
            }
        }

        // The way back, in this round trip: events, suppressions, and ONE upsert of the counts.
        var feedback = AttemptFeedback.Of(id, origin, AttemptFeedback.Applied(outcomes, ignored), now, eventsEnabled);
        PostgreSqlFeedbackSql.Write(second, feedback, now);
        alsoInSecondTrip(second);
        await second.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return (pending, attempts, ignored, feedback.Suppressions);
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>
    /// Applies the outcomes to the recipients in order, as the embedded queue does: only a pending recipient takes an
    /// outcome (every one with that address), so a delivered or failed one stays final.
    /// </summary>
    /// <returns>The indexes of the recipients that changed, and the outcomes ignored.</returns>
    private static (List<int> Changed, List<RecipientOutcome> Ignored) Apply(QueueId id,
        List<(int Ordinal, string Address, RecipientStatus Status, string? Reply)> recipients, IReadOnlyList<RecipientOutcome> outcomes)
    {
        var changed = new SortedSet<int>();
        var ignored = new List<RecipientOutcome>();
        foreach (var outcome in outcomes)
        {
            var known = false;
            var taken = false;
            for (var i = 0; i < recipients.Count; i++)
            {
                if (!string.Equals(recipients[i].Address, outcome.Recipient, StringComparison.Ordinal))
                {
                    continue;
                }

                known = true;
                if (recipients[i].Status == RecipientStatus.Pending)
                {
                    recipients[i] = recipients[i] with { Status = outcome.Status, Reply = outcome.Reply?.ToString() };
                    changed.Add(i);
                    taken = true;
                }
            }

            if (!known)
            {
                throw new ArgumentException($"{outcome.Recipient} is not a recipient of message {id}.", nameof(outcomes));
            }

            if (!taken)
            {
                ignored.Add(outcome);
            }
        }

        return ([.. changed], ignored);
    }
}
