using System.Diagnostics;
using System.Globalization;
using Npgsql;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Dmarc.Reports.Store;
using RelaySigner.Queue;
using RelaySigner.Queue.PostgreSql;
using RelaySigner.Queue.Reports;
using RelaySigner.Testing;

namespace RelaySigner.Benchmarks.Dmarc;

/// <summary>
/// The dmarc-import benchmark: synthetic reports (<see cref="SyntheticReports"/>) read as the relay reads a report
/// mail's XML (<see cref="ReportFileReader"/>, every limit on) and stored one by one through the real store, SQLite in a
/// temp folder (WAL, synchronous=FULL) or PostgreSQL; then the dashboard's two sums over a 30-day window, read back
/// for each domain. Reports are stored as <c>dmarc import</c> stores files (<see cref="PipelinedImport"/>); the
/// XML is made outside the timing.
/// </summary>
internal static class DmarcImportDriver
{
    public static async Task<int> RunAsync(DmarcImportOptions options)
    {
        using var folder = new TempFolder();
        await using var server = options.Queue == "postgresql" && options.ConnectionString.Length == 0 ? new PostgreSqlServer() : null;
        NpgsqlDataSource? database = null;
        IReportStore store;
        if (options.Queue == "postgresql")
        {
            var connectionString = options.ConnectionString;
            if (server is not null)
            {
                await server.StartAsync();
                connectionString = await server.CreateDatabaseAsync();
            }

            database = PostgreSqlDataSource.Create(new QueueOptions { Provider = QueueProvider.PostgreSql, ConnectionString = connectionString });
            store = PostgreSqlReportStore.Open(database, TimeProvider.System);
        }
        else
        {
            store = SqliteReportStore.Open(Path.Combine(folder.Path, QueueOptions.DatabaseFileName), TimeProvider.System);
        }

        try
        {
            await ImportAsync(store, options);
            await ReadSumsAsync(store);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
            if (database is not null)
            {
                await database.DisposeAsync();
            }
        }

        return 0;
    }

    private static async Task ImportAsync(IReportStore store, DmarcImportOptions options)
    {
        var reader = new ReportFileReader(ReportLimits.Default);
        var random = new Random(7489);
        var (making, reading, records) = (TimeSpan.Zero, TimeSpan.Zero, 0L);
        var started = Stopwatch.GetTimestamp();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        IEnumerable<AggregateReport> Reports()
        {
            for (var i = 0; i < options.Reports; i++)
            {
                var make = Stopwatch.GetTimestamp();
                var xml = SyntheticReports.Xml(i, options.Records, random);
                var read = Stopwatch.GetTimestamp();
                var report = reader.ReadMessage(xml, $"report {i}").Single();
                making += Stopwatch.GetElapsedTime(make, read);
                reading += Stopwatch.GetElapsedTime(read);
                records += report.Records.Count;
                yield return report;
            }
        }

        var imported = 0;
        await foreach (var (_, stored) in store.ImportAllAsync(Reports(), r => r))
        {
            if (!stored)
            {
                throw new InvalidOperationException($"report {imported} was taken for a duplicate");
            }

            if (++imported % 1000 == 0)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{imported} reports, {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));
            }
        }

        // The synthetic XML is made on the same thread, outside what an import costs.
        var total = Stopwatch.GetElapsedTime(started) - making;
        // CPU time as well: on a shared machine the wall time says as much about the neighbours as about the import.
        // The process's CPU includes making the XML, whose wall time is printed beside it (its CPU is at most that).
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dmarc-import {options.Queue}: {options.Reports} reports, {records} records: {total.TotalSeconds:F1} s wall, " +
            $"{cpu.TotalSeconds:F1} s process CPU (making the XML took {making.TotalSeconds:F1} s wall besides) " +
            $"(reading {reading.TotalSeconds:F1} s, storing with {PipelinedImport.DefaultInFlight} in flight the rest), " +
            $"{records / total.TotalSeconds:F0} records/s"));
    }

    /// <summary>The dashboard's reads: per day and source, and per reporter and source, over 30 days, per domain.</summary>
    private static async Task ReadSumsAsync(IReportStore store)
    {
        var (from, to) = (new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));
        foreach (var domain in await store.DomainsAsync(CancellationToken.None))
        {
            var daily = Stopwatch.GetTimestamp();
            var days = await store.DailyBySourceAsync(domain, from, to, CancellationToken.None);
            var dailyMs = Stopwatch.GetElapsedTime(daily).TotalMilliseconds;
            var sources = Stopwatch.GetTimestamp();
            var rows = await store.SourcesAsync(domain, from, to, CancellationToken.None);
            var sourcesMs = Stopwatch.GetElapsedTime(sources).TotalMilliseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {domain}: daily by source {days.Count} rows in {dailyMs:F0} ms; sources {rows.Count} rows in {sourcesMs:F0} ms"));
        }
    }
}
