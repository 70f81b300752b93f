using Npgsql;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// <see cref="IBulkPauseStore"/> in the shared database (<c>relaysigner.bulk_pauses</c>, <c>0006_bulk.sql</c>): a pause
/// made by one node's guard, or a resume by an operator, is seen by every node's guard at its next read. Each call
/// brings the schema up to date first, once per process (the CLI may run before any node did).
/// </summary>
/// <param name="database">The pool; the caller owns it.</param>
public sealed class PostgreSqlBulkPauseStore(NpgsqlDataSource database) : IBulkPauseStore
{
    private const string Table = "relaysigner.bulk_pauses";

    private readonly Lazy<int> _migrated = new(() => PostgreSqlMigrations.Apply(database));

    public async Task<IReadOnlyList<BulkPause>> ListAsync(CancellationToken cancellationToken)
    {
        _ = _migrated.Value;
        await using var command = database.CreateCommand(BulkPauseSql.List(Table));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var pauses = new List<BulkPause>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pauses.Add(new BulkPause(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetDouble(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return pauses;
    }

    public async Task<bool> PauseAsync(BulkPause pause, CancellationToken cancellationToken) =>
        await ExecuteAsync(BulkPauseSql.Pause(Table), cancellationToken, pause.Domain, pause.PausedAt.ToUniversalTime(), pause.ComplaintRate).ConfigureAwait(false) == 1;

    public async Task<bool> ResumeAsync(string domain, DateTimeOffset at, CancellationToken cancellationToken) =>
        await ExecuteAsync(BulkPauseSql.Resume(Table), cancellationToken, domain.ToLowerInvariant(), at.ToUniversalTime()).ConfigureAwait(false) == 1;

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        _ = _migrated.Value;
        await using var command = database.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
