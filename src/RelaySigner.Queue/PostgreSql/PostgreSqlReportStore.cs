using System.Net;
using System.Runtime.CompilerServices;
using Npgsql;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Dmarc.Reports.Store;
using RelaySigner.Queue.Reports;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// The report store in the cluster's database (migration 0005). An import is ONE prepared statement, so one round
/// trip and one transaction: data-modifying CTEs insert the report, its records from arrays (<c>unnest</c>) and add to
/// the sums, and the records and sums are only written when the report row was (a duplicate inserts nothing). Two
/// nodes importing the same report at once: the second waits on the unique key and then inserts nothing.
/// </summary>
/// <remarks>The sums' rows are upserted in the order of <see cref="ReportSums.PerSource"/>, so two imports that
/// touch the same rows lock them in the same order and never deadlock.</remarks>
public sealed class PostgreSqlReportStore : IReportStore
{
    private const string Sums = StoredReports.TotalsColumns;

    private const string AddToSums = """
        DO UPDATE SET messages = t.messages + excluded.messages, dkim_aligned = t.dkim_aligned + excluded.dkim_aligned,
            spf_aligned = t.spf_aligned + excluded.spf_aligned, dmarc_pass = t.dmarc_pass + excluded.dmarc_pass,
            quarantined = t.quarantined + excluded.quarantined, rejected = t.rejected + excluded.rejected
        """;

    private const string ImportSql = $"""
        WITH report AS (
            INSERT INTO relaysigner.dmarc_reports (org_key, org_name, report_id, begin_at, end_at, domain, p, sp, pct, adkim, aspf, imported_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (org_key, report_id) DO NOTHING RETURNING id),
        records AS (
            INSERT INTO relaysigner.dmarc_records (report, ordinal, source_ip, count, disposition, dkim_aligned, spf_aligned, header_from, envelope_from, dkim, spf)
            SELECT report.id, r.ordinal - 1, r.source_ip, r.count, r.disposition, r.dkim_aligned, r.spf_aligned, r.header_from, r.envelope_from, r.dkim, r.spf
            FROM report, unnest($13::inet[], $14::bigint[], $15::text[], $16::boolean[], $17::boolean[], $18::text[], $19::text[], $20::text[], $21::text[])
                WITH ORDINALITY AS r (source_ip, count, disposition, dkim_aligned, spf_aligned, header_from, envelope_from, dkim, spf, ordinal)),
        sums AS (
            SELECT s.* FROM report, unnest($22::inet[], $23::bigint[], $24::bigint[], $25::bigint[], $26::bigint[], $27::bigint[], $28::bigint[])
                AS s (source_ip, {Sums})),
        by_source AS (
            INSERT INTO relaysigner.dmarc_source_days AS t (domain, day, source_ip, {Sums})
            SELECT $6, $29, source_ip, {Sums} FROM sums
            ON CONFLICT (domain, day, source_ip) {AddToSums}),
        by_reporter AS (
            INSERT INTO relaysigner.dmarc_reporter_source_days AS t (domain, day, reporter, source_ip, {Sums})
            SELECT $6, $29, $2, source_ip, {Sums} FROM sums
            ON CONFLICT (domain, day, reporter, source_ip) {AddToSums})
        SELECT count(*) FROM report
        """;

    private readonly NpgsqlDataSource _database;
    private readonly TimeProvider _time;

    private PostgreSqlReportStore(NpgsqlDataSource database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>The store on <paramref name="database"/>, its schema brought up to date first (as the queue does; a
    /// no-op when a node did it already).</summary>
    /// <param name="database">The pool, from <see cref="PostgreSqlDataSource.Create"/>; the caller owns it.</param>
    public static PostgreSqlReportStore Open(NpgsqlDataSource database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        PostgreSqlMigrations.Apply(database);
        return new PostgreSqlReportStore(database, time);
    }

    public async Task<bool> ImportAsync(AggregateReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var (metadata, policy, records) = (report.Metadata, report.Policy, report.Records);
        var sums = ReportSums.PerSource(report);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var import = new NpgsqlCommand(ImportSql, connection);
        Add(import, ReportSums.OrgKey(report), metadata.OrgName, metadata.ReportId, metadata.Begin.ToUniversalTime(),
            metadata.End.ToUniversalTime(), policy.Domain, policy.P, policy.Sp, policy.Pct, policy.Adkim, policy.Aspf,
            _time.GetUtcNow());
        Add(import,
            records.Select(r => r.SourceIp).ToArray(),
            records.Select(r => r.Count).ToArray(),
            records.Select(r => r.Disposition).ToArray(),
            records.Select(r => r.DkimAligned).ToArray(),
            records.Select(r => r.SpfAligned).ToArray(),
            records.Select(r => r.HeaderFrom).ToArray(),
            records.Select(r => r.EnvelopeFrom).ToArray(),
            records.Select(r => AuthResultsJson.Encode(r.Dkim)).ToArray(),
            records.Select(r => AuthResultsJson.Encode(r.Spf)).ToArray());
        Add(import,
            sums.Select(s => s.SourceIp).ToArray(),
            sums.Select(s => s.Totals.Messages).ToArray(),
            sums.Select(s => s.Totals.DkimAligned).ToArray(),
            sums.Select(s => s.Totals.SpfAligned).ToArray(),
            sums.Select(s => s.Totals.DmarcPass).ToArray(),
            sums.Select(s => s.Totals.Quarantined).ToArray(),
            sums.Select(s => s.Totals.Rejected).ToArray(),
            ReportSums.Day(report));
        // Prepared once per pooled connection: Npgsql keeps the server-side statement with the physical connection.
        await import.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return (long)(await import.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 1;
    }

    public async IAsyncEnumerable<AggregateReport> ReadAsync(string? domain, DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var select = _database.CreateCommand(
            $"SELECT {StoredReports.Columns} {StoredReports.From("relaysigner.")} " +
            $"WHERE ($1::text IS NULL OR r.domain = $1) AND r.end_at > $2 {StoredReports.Order}");
        Add(select, domain?.ToLowerInvariant(), since.ToUniversalTime());
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var report in StoredReports.ReadAsync(reader, (r, i) => r.GetFieldValue<DateTimeOffset>(i),
            (r, i) => r.GetFieldValue<IPAddress>(i), cancellationToken).ConfigureAwait(false))
        {
            yield return report;
        }
    }

    public async Task<IReadOnlyList<string>> DomainsAsync(CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT DISTINCT domain FROM relaysigner.dmarc_reports", null, default, default,
            reader => reader.GetString(0), cancellationToken).ConfigureAwait(false)).Order(StringComparer.Ordinal).ToList();

    public async Task<IReadOnlyList<DailySourceTotals>> DailyBySourceAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        StoredReports.Ordered(await QueryAsync(
            $"SELECT day, source_ip, {StoredReports.TotalsColumns} FROM relaysigner.dmarc_source_days WHERE domain = $1 AND day BETWEEN $2 AND $3",
            domain, from, to,
            reader => new DailySourceTotals(reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<IPAddress>(1), StoredReports.Totals(reader, 2)),
            cancellationToken).ConfigureAwait(false));

    public async Task<IReadOnlyList<ReporterSourceTotals>> SourcesAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        StoredReports.Ordered(await QueryAsync(
            $"SELECT reporter, source_ip, {StoredReports.SummedTotalsColumns} FROM relaysigner.dmarc_reporter_source_days " +
            "WHERE domain = $1 AND day BETWEEN $2 AND $3 GROUP BY reporter, source_ip",
            domain, from, to,
            reader => new ReporterSourceTotals(reader.GetString(0), reader.GetFieldValue<IPAddress>(1), StoredReports.Totals(reader, 2)),
            cancellationToken).ConfigureAwait(false));

    private async Task<List<T>> QueryAsync<T>(string sql, string? domain, DateOnly from, DateOnly to, Func<NpgsqlDataReader, T> row, CancellationToken cancellationToken)
    {
        await using var select = _database.CreateCommand(sql);
        if (domain is not null)
        {
            Add(select, domain.ToLowerInvariant(), from, to);
        }

        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row(reader));
        }

        return rows;
    }

    private static void Add(NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
    }
}
