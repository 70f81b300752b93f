using System.CommandLine;
using System.Data.Common;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Dmarc.Reports.Store;
using RelaySigner.Queue;
using RelaySigner.Queue.PostgreSql;
using RelaySigner.Queue.Reports;

namespace RelaySigner.Cli;

/// <summary>The report store the relay uses, for the <c>dmarc</c> verbs: in the queue's database, found as the queue verbs find it.</summary>
internal static class ReportStoreCli
{
    /// <summary>
    /// Runs <paramref name="action"/> on the store in the relay's queue database (its schema brought up to date). A
    /// queue folder without a queue is an error, as for the queue verbs: reports written there would never be seen.
    /// </summary>
    /// <returns>The action's exit code; 3 when the database cannot be used.</returns>
    public static async Task<int> RunAsync(ParseResult parseResult, Func<IReportStore, Task<int>> action)
    {
        var options = QueueCli.Options(parseResult);
        try
        {
            if (options.Provider == QueueProvider.PostgreSql)
            {
                await using var database = PostgreSqlDataSource.Create(options);
                return await action(PostgreSqlReportStore.Open(database, TimeProvider.System)).ConfigureAwait(false);
            }

            var folder = QueueCli.ExistingDatabase(parseResult, options);
            using var store = SqliteReportStore.Open(Path.Combine(folder, QueueOptions.DatabaseFileName), TimeProvider.System);
            return await action(store).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            return QueueCli.DatabaseUnusable(parseResult, ex);
        }
    }

    /// <summary>The stored reports of <paramref name="domain"/> (or all) whose period ended after <paramref name="since"/>.</summary>
    public static async Task<List<AggregateReport>> ReadAsync(IReportStore store, string? domain, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var reports = new List<AggregateReport>();
        await foreach (var report in store.ReadAsync(domain, since, cancellationToken).ConfigureAwait(false))
        {
            reports.Add(report);
        }

        return reports;
    }
}
