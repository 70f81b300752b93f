using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Dmarc.Reports.Store;

namespace RelaySigner.Queue.Reports;

/// <summary>
/// The report store in the embedded queue's file (<see cref="QueueSchema"/>, version 9). Imports run on a
/// connection of their own through a <see cref="GroupCommitWriter"/>, as the queue's operations do: each import in
/// a savepoint of its own with its statements prepared once, concurrent imports sharing one commit (one fsync). The
/// queue's writer loop is not held up by a report's thousands of rows; WAL lets the two connections take turns at
/// the write lock. Reads open a read-only connection each, which in WAL mode never waits for a writer.
/// </summary>
/// <remarks>
/// Group commit because an fsync'd commit per report is what an import costs, not its rows: on the shared 2-core
/// machine a commit took 25–30 ms while 100 rows took well under one (<c>dmarc-import</c> benchmark, imports one
/// at a time), so a bulk import keeps many reports in flight (<c>dmarc import</c> does) and they share commits.
/// </remarks>
public sealed class SqliteReportStore : IReportStore, IAsyncDisposable, IDisposable
{
    private const string InsertReportSql =
        "INSERT INTO dmarc_reports (org_key, org_name, report_id, begin_at, end_at, domain, p, sp, pct, adkim, aspf, imported_at) " +
        "VALUES ($org_key, $org_name, $report_id, $begin, $end, $domain, $p, $sp, $pct, $adkim, $aspf, $now) " +
        "ON CONFLICT (org_key, report_id) DO NOTHING RETURNING id";

    private const string InsertRecordSql =
        "INSERT INTO dmarc_records (report, ordinal, source_ip, count, disposition, dkim_aligned, spf_aligned, header_from, envelope_from, dkim, spf) " +
        "VALUES ($report, $ordinal, $ip, $count, $disposition, $dkim_aligned, $spf_aligned, $header_from, $envelope_from, $dkim, $spf)";

    private const string AddToSums = $"""
        ON CONFLICT DO UPDATE SET messages = messages + excluded.messages, dkim_aligned = dkim_aligned + excluded.dkim_aligned,
            spf_aligned = spf_aligned + excluded.spf_aligned, dmarc_pass = dmarc_pass + excluded.dmarc_pass,
            quarantined = quarantined + excluded.quarantined, rejected = rejected + excluded.rejected
        """;

    private const string UpsertSourceDaySql =
        $"INSERT INTO dmarc_source_days (domain, day, source_ip, {StoredReports.TotalsColumns}) " +
        $"VALUES ($domain, $day, $ip, $m, $dkim, $spf, $pass, $q, $r) {AddToSums}";

    private const string UpsertReporterSourceDaySql =
        $"INSERT INTO dmarc_reporter_source_days (domain, day, reporter, source_ip, {StoredReports.TotalsColumns}) " +
        $"VALUES ($domain, $day, $reporter, $ip, $m, $dkim, $spf, $pass, $q, $r) {AddToSums}";

    private readonly string _databasePath;
    private readonly TimeProvider _time;
    private readonly GroupCommitWriter _writer;

    private SqliteReportStore(string databasePath, TimeProvider time, SqliteConnection writer)
    {
        _databasePath = databasePath;
        _time = time;
        _writer = new GroupCommitWriter(writer, NullLogger.Instance, committed: () => { });
    }

    /// <summary>
    /// Opens the store in the queue file <paramref name="databasePath"/>, bringing its schema up to date (creating the
    /// file when missing: callers that must not create one check first). The caller owns the store.
    /// </summary>
    public static SqliteReportStore Open(string databasePath, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        // The queue's own opening: WAL, synchronous=FULL (an import is durable when it returns), 0600, foreign keys on.
        return new SqliteReportStore(databasePath, time, QueueDatabase.Open(databasePath, NullLogger.Instance));
    }

    /// <remarks>A duplicate within one batch is seen too: the batch's earlier savepoints are part of its transaction.</remarks>
    public Task<bool> ImportAsync(AggregateReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var operation = new GroupCommitOperation<bool>("dmarc-import", null, tx => Import(tx, report), null, cancellationToken);
        return _writer.TryWrite(operation) ? operation.Task : throw new ObjectDisposedException(nameof(SqliteReportStore));
    }

    private bool Import(SqliteTransaction tx, AggregateReport report)
    {
        var (metadata, policy) = (report.Metadata, report.Policy);
        var insertReport = tx.Prepared(InsertReportSql);
        var parameters = insertReport.Parameters;
        parameters.AddWithValue("$org_key", ReportSums.OrgKey(report));
        parameters.AddWithValue("$org_name", metadata.OrgName);
        parameters.AddWithValue("$report_id", metadata.ReportId);
        parameters.AddWithValue("$begin", metadata.Begin.ToUnixTimeMilliseconds());
        parameters.AddWithValue("$end", metadata.End.ToUnixTimeMilliseconds());
        parameters.AddWithValue("$domain", policy.Domain);
        parameters.AddWithValue("$p", policy.P);
        parameters.AddWithValue("$sp", (object?)policy.Sp ?? DBNull.Value);
        parameters.AddWithValue("$pct", policy.Pct);
        parameters.AddWithValue("$adkim", policy.Adkim);
        parameters.AddWithValue("$aspf", policy.Aspf);
        parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        if (insertReport.ExecuteScalar() is not long id)
        {
            return false; // stored before: nothing changed
        }

        InsertRecords(tx, id, report.Records);
        UpsertSums(tx, report);
        return true;
    }

    /// <summary>One prepared statement, its parameters bound anew for each row (no allocation per row beyond the values).</summary>
    private static void InsertRecords(SqliteTransaction tx, long reportId, IReadOnlyList<ReportRecord> records)
    {
        var insert = tx.Prepared(InsertRecordSql);
        insert.Parameters.AddWithValue("$report", reportId);
        var ordinal = insert.Parameters.Add("$ordinal", SqliteType.Integer);
        var ip = insert.Parameters.Add("$ip", SqliteType.Text);
        var count = insert.Parameters.Add("$count", SqliteType.Integer);
        var disposition = insert.Parameters.Add("$disposition", SqliteType.Text);
        var dkimAligned = insert.Parameters.Add("$dkim_aligned", SqliteType.Integer);
        var spfAligned = insert.Parameters.Add("$spf_aligned", SqliteType.Integer);
        var headerFrom = insert.Parameters.Add("$header_from", SqliteType.Text);
        var envelopeFrom = insert.Parameters.Add("$envelope_from", SqliteType.Text);
        var dkim = insert.Parameters.Add("$dkim", SqliteType.Text);
        var spf = insert.Parameters.Add("$spf", SqliteType.Text);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            ordinal.Value = i;
            ip.Value = record.SourceIp.ToString();
            count.Value = record.Count;
            disposition.Value = record.Disposition;
            dkimAligned.Value = record.DkimAligned;
            spfAligned.Value = record.SpfAligned;
            headerFrom.Value = record.HeaderFrom;
            envelopeFrom.Value = (object?)record.EnvelopeFrom ?? DBNull.Value;
            dkim.Value = (object?)AuthResultsJson.Encode(record.Dkim) ?? DBNull.Value;
            spf.Value = (object?)AuthResultsJson.Encode(record.Spf) ?? DBNull.Value;
            insert.ExecuteNonQuery();
        }
    }

    private static void UpsertSums(SqliteTransaction tx, AggregateReport report)
    {
        var day = ReportSums.Day(report).DayNumber - ReportSums.Epoch.DayNumber;
        foreach (var sql in (string[])[UpsertSourceDaySql, UpsertReporterSourceDaySql])
        {
            var upsert = tx.Prepared(sql);
            upsert.Parameters.AddWithValue("$domain", report.Policy.Domain);
            upsert.Parameters.AddWithValue("$day", day);
            if (sql == UpsertReporterSourceDaySql)
            {
                upsert.Parameters.AddWithValue("$reporter", report.Metadata.OrgName);
            }

            var ip = upsert.Parameters.Add("$ip", SqliteType.Text);
            var sums = (SqliteParameter[])[.. new[] { "$m", "$dkim", "$spf", "$pass", "$q", "$r" }.Select(name => upsert.Parameters.Add(name, SqliteType.Integer))];
            foreach (var (sourceIp, totals) in ReportSums.PerSource(report))
            {
                ip.Value = sourceIp.ToString();
                (sums[0].Value, sums[1].Value, sums[2].Value) = (totals.Messages, totals.DkimAligned, totals.SpfAligned);
                (sums[3].Value, sums[4].Value, sums[5].Value) = (totals.DmarcPass, totals.Quarantined, totals.Rejected);
                upsert.ExecuteNonQuery();
            }
        }
    }

    public async IAsyncEnumerable<AggregateReport> ReadAsync(string? domain, DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var connection = QueueDatabase.Connect(_databasePath, SqliteOpenMode.ReadOnly);
        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {StoredReports.Columns} {StoredReports.From("")} " +
            $"WHERE ($domain IS NULL OR r.domain = $domain) AND r.end_at > $since {StoredReports.Order}";
        select.Parameters.AddWithValue("$domain", (object?)domain?.ToLowerInvariant() ?? DBNull.Value);
        select.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        using var reader = select.ExecuteReader();
        await foreach (var report in StoredReports.ReadAsync(reader, Time, (r, i) => IPAddress.Parse(r.GetString(i)), cancellationToken).ConfigureAwait(false))
        {
            yield return report;
        }
    }

    public Task<IReadOnlyList<string>> DomainsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Query("SELECT DISTINCT domain FROM dmarc_reports", null, default, default,
            reader => reader.GetString(0)).Order(StringComparer.Ordinal).ToList());

    public Task<IReadOnlyList<DailySourceTotals>> DailyBySourceAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DailySourceTotals>>(StoredReports.Ordered(Query(
            $"SELECT day, source_ip, {StoredReports.TotalsColumns} FROM dmarc_source_days WHERE domain = $domain AND day BETWEEN $from AND $to",
            domain, from, to,
            reader => new DailySourceTotals(ReportSums.Epoch.AddDays(reader.GetInt32(0)), IPAddress.Parse(reader.GetString(1)), StoredReports.Totals(reader, 2)))));

    public Task<IReadOnlyList<ReporterSourceTotals>> SourcesAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReporterSourceTotals>>(StoredReports.Ordered(Query(
            $"SELECT reporter, source_ip, {StoredReports.SummedTotalsColumns} FROM dmarc_reporter_source_days " +
            "WHERE domain = $domain AND day BETWEEN $from AND $to GROUP BY reporter, source_ip",
            domain, from, to,
            reader => new ReporterSourceTotals(reader.GetString(0), IPAddress.Parse(reader.GetString(1)), StoredReports.Totals(reader, 2)))));

    /// <summary>Imports already handed over still run; then the connection closes.</summary>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static DateTimeOffset Time(System.Data.Common.DbDataReader reader, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private List<T> Query<T>(string sql, string? domain, DateOnly from, DateOnly to, Func<SqliteDataReader, T> row)
    {
        using var connection = QueueDatabase.Connect(_databasePath, SqliteOpenMode.ReadOnly);
        using var select = connection.CreateCommand();
        select.CommandText = sql;
        if (domain is not null)
        {
            select.Parameters.AddWithValue("$domain", domain.ToLowerInvariant());
            select.Parameters.AddWithValue("$from", from.DayNumber - ReportSums.Epoch.DayNumber);
            select.Parameters.AddWithValue("$to", to.DayNumber - ReportSums.Epoch.DayNumber);
        }

        using var reader = select.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(row(reader));
        }

        return rows;
    }
}
