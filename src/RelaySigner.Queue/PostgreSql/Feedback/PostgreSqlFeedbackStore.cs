using System.Runtime.CompilerServices;
using Npgsql;
using RelaySigner.Core.Feedback;
using RelaySigner.Queue.Feedback;

namespace RelaySigner.Queue.PostgreSql.Feedback;

/// <summary>
/// The suppression list, the events outbox and the feedback counts of a cluster, in the queue's shared database:
/// every node sees the same list and sends each event once (claims lock with <c>SKIP LOCKED</c>). Each operation is
/// one short transaction committed with <c>synchronous_commit=on</c> (<see cref="PostgreSqlDataSource"/>), so
/// <see cref="RecordAsync"/> returns only once its entries and events are durable.
/// </summary>
/// <remarks>
/// As the embedded store: events only when <see cref="EventsOptions.Enabled"/>; each recorded hard bounce and
/// complaint counted; an operator's <see cref="AddAsync"/> counted nowhere.
/// </remarks>
public sealed class PostgreSqlFeedbackStore(NpgsqlDataSource database, TimeProvider time, EventsOptions eventsOptions, EventsWakeup? eventsWakeup = null)
    : ISuppressionAdministration, IEventOutbox, IFeedbackRates
{
    private const int PageSize = 1000;

    public async Task<IReadOnlyDictionary<string, Suppression>> FindAsync(string domain, IReadOnlyCollection<string> recipients,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            return new Dictionary<string, Suppression>();
        }

        await using var command = database.CreateCommand(PostgreSqlFeedbackSql.FindSql);
        command.Parameters.Add(new NpgsqlParameter { Value = SuppressionKey.Domain(domain) });
        command.Parameters.Add(new NpgsqlParameter { Value = recipients.Select(SuppressionKey.Recipient).ToArray() });
        return SuppressionMatches.ByGivenRecipient(recipients, await ReadSuppressionsAsync(command, cancellationToken).ConfigureAwait(false));
    }

    public async Task RecordAsync(IReadOnlyList<Suppression> suppressions, IReadOnlyList<RelayEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suppressions);
        ArgumentNullException.ThrowIfNull(events);
        var appended = eventsOptions.Enabled ? events : [];
        if (suppressions.Count == 0 && appended.Count == 0)
        {
            return;
        }

        await WriteAsync(batch =>
        {
            PostgreSqlFeedbackSql.AddSuppressions(batch, suppressions);
            foreach (var counted in suppressions.Where(s => s.Reason is SuppressionReason.HardBounce or SuppressionReason.Complaint))
            {
                PostgreSqlFeedbackSql.Count(batch, counted.Domain, counted.Since, 0,
                    counted.Reason == SuppressionReason.HardBounce ? 1 : 0, counted.Reason == SuppressionReason.Complaint ? 1 : 0);
            }

            PostgreSqlFeedbackSql.AppendEvents(batch, appended, time.GetUtcNow());
        }, cancellationToken).ConfigureAwait(false);
        if (appended.Count > 0)
        {
            eventsWakeup?.Notify();
        }
    }

    /// <summary>An operator's entries (<c>suppress add|import</c>): durable on return, counted nowhere, no events.</summary>
    /// <returns>How many were new (an entry already listed keeps its first form).</returns>
    public async Task<int> AddAsync(IReadOnlyList<Suppression> suppressions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suppressions);
        NpgsqlBatchCommand? insert = null;
        await WriteAsync(batch => insert = PostgreSqlFeedbackSql.AddSuppressions(batch, suppressions), cancellationToken).ConfigureAwait(false);
        return insert is null ? 0 : checked((int)insert.RecordsAffected);
    }

    public async Task<bool> RemoveAsync(string domain, string recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(recipient);
        await using var command = database.CreateCommand(PostgreSqlFeedbackSql.RemoveSql);
        command.Parameters.Add(new NpgsqlParameter { Value = SuppressionKey.Domain(domain) });
        command.Parameters.Add(new NpgsqlParameter { Value = SuppressionKey.Recipient(recipient) });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async IAsyncEnumerable<Suppression> ListAsync(string? domain, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = domain is null ? null : SuppressionKey.Domain(domain);
        (string Domain, string Recipient)? after = null;
        while (true)
        {
            await using var command = database.CreateCommand(PostgreSqlFeedbackSql.ListSql);
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)key ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)after?.Domain ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)after?.Recipient ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = PageSize });
            var page = await ReadSuppressionsAsync(command, cancellationToken).ConfigureAwait(false);
            foreach (var suppression in page)
            {
                yield return suppression;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = (page[^1].Domain, page[^1].Recipient);
        }
    }

    public async Task<IReadOnlyList<OutboxEvent>> ClaimAsync(int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        var now = time.GetUtcNow();
        await using var command = database.CreateCommand(PostgreSqlFeedbackSql.ClaimSql);
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = maxCount });
        command.Parameters.Add(new NpgsqlParameter { Value = (now + leaseDuration).ToUniversalTime() });
        var claimed = new List<OutboxEvent>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                claimed.Add(FeedbackColumns.ReadEvent(reader, PostgreSqlFeedbackSql.Timestamp));
            }
        }

        claimed.Sort((a, b) => a.Id.CompareTo(b.Id)); // RETURNING gives no order
        return claimed;
    }

    public async Task CompleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }

        await using var command = database.CreateCommand(PostgreSqlFeedbackSql.CompleteSql);
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RetryAsync(long id, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(PostgreSqlFeedbackSql.RetrySql);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = nextAttemptAt.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(PostgreSqlFeedbackSql.CountSql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<FeedbackRates> GetAsync(string domain, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        await using var command = database.CreateCommand(PostgreSqlFeedbackSql.RatesSql);
        command.Parameters.Add(new NpgsqlParameter { Value = SuppressionKey.Domain(domain) });
        command.Parameters.Add(new NpgsqlParameter { Value = FeedbackHours.Of(since) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new FeedbackRates(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>One transaction, one round trip, committed before it returns.</summary>
    private async Task WriteAsync(Action<NpgsqlBatch> add, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            add(batch);
            if (batch.BatchCommands.Count == 0)
            {
                return;
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Not cancellable: a COMMIT cut off halfway would leave the caller unsure whether it happened.
        await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<List<Suppression>> ReadSuppressionsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var found = new List<Suppression>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(FeedbackColumns.ReadSuppression(reader, PostgreSqlFeedbackSql.Timestamp));
        }

        return found;
    }
}
