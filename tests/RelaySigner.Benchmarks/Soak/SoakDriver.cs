using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using RelaySigner.Benchmarks.Load;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Queue;
using RelaySigner.Queue.PostgreSql;

namespace RelaySigner.Benchmarks.Soak;

/// <summary>
/// What a long run does to the PostgreSQL queue's tables: <c>--messages</c> messages go through
/// <see cref="PostgreSqlMessageQueue"/> as the relay moves them (enqueue from concurrent callers, committed with
/// synchronous_commit on; claim by delivery slots; recorded delivered, which removes them and writes their history),
/// and the tables' size and live and dead rows are printed before, right after, and once autovacuum has visited every
/// table (or, if it has not within <c>--autovacuum-wait</c>, after a VACUUM by hand, which the table says). About
/// table sizes, not speed: no SMTP, no signing.
/// </summary>
internal static class SoakDriver
{
    private static readonly HashSet<string> ChurnedTables = ["queue_messages", "queue_messages TOAST", "queue_recipients", "queue_attempts", "message_history"];

    public static async Task<int> RunAsync(SoakOptions options)
    {
        await using var database = await LoadDatabase.OpenAsync(options.ConnectionString);
        var settings = new QueueOptions { Provider = QueueProvider.PostgreSql, ConnectionString = database.ConnectionString, NodeName = "soak" };
        await using var reportPool = NpgsqlDataSource.Create(database.ConnectionString);
        var report = new QueueTableReport(reportPool);

        var (elapsed, peakBacklog) = await RunQueueAsync(settings, options, report);
        // The queue's sessions have ended, and with them their statistics reached the server; give the exits a moment.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = await report.PrintAsync("right after");
        var visited = await report.WaitForAutovacuumAsync(after, ChurnedTables, options.AutovacuumWait);
        if (!visited)
        {
            // VACUUM of a table takes its TOAST table along.
            await using var vacuum = reportPool.CreateCommand(
                "VACUUM (ANALYZE) " + string.Join(", ", ChurnedTables.Where(t => !t.EndsWith(" TOAST", StringComparison.Ordinal)).Select(t => "relaysigner." + t)));
            await vacuum.ExecuteNonQueryAsync();
        }

        await report.PrintAsync(visited
            ? "after autovacuum"
            : string.Create(CultureInfo.InvariantCulture, $"after a manual VACUUM (autovacuum had not visited every table within {options.AutovacuumWait.TotalSeconds:F0} s)"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{options.Messages} messages of {options.Size} bytes through the queue in {elapsed.TotalSeconds:F0} s ({options.Messages / elapsed.TotalSeconds:F0}/s), {options.Callers} enqueue callers, {options.Slots} delivery slots, at most {peakBacklog} queued at once (sampled every second); history kept (default retention)"));
        return 0;
    }

    /// <returns>How long the messages took to go through, and the most that were queued at once: the tables' size right
    /// after the run follows that peak, since enqueues may outrun deliveries.</returns>
    private static async Task<(TimeSpan Elapsed, int PeakBacklog)> RunQueueAsync(QueueOptions settings, SoakOptions options, QueueTableReport report)
    {
        await using var pool = PostgreSqlDataSource.Create(settings);
        await using var queue = new PostgreSqlMessageQueue(pool, Options.Create(settings), TimeProvider.System, NullLogger<PostgreSqlMessageQueue>.Instance);
        QueueTableReport.PrintHeader();
        await report.PrintAsync("before");

        var content = new byte[options.Size];
        Random.Shared.NextBytes(content);
        for (var i = 0; i < content.Length; i++)
        {
            content[i] = (byte)('a' + (content[i] % 26));
        }

        var enqueued = 0;
        var committed = 0;
        var delivered = 0;
        var peakBacklog = 0;
        var started = Stopwatch.StartNew();
        var producers = Enumerable.Range(0, options.Callers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref enqueued) is var n && n <= options.Messages)
            {
                var envelope = new Envelope("soak@example.com", [string.Create(CultureInfo.InvariantCulture, $"r{n}@example.net")],
                    string.Create(CultureInfo.InvariantCulture, $"<soak-{n}@example.com>"));
                await queue.EnqueueAsync(envelope, content, CancellationToken.None);
                Interlocked.Increment(ref committed);
            }
        }));
        var consumers = Enumerable.Range(0, options.Slots).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref delivered) < options.Messages)
            {
                var claimed = await queue.ClaimDueAsync(1, TimeSpan.FromMinutes(15), CancellationToken.None);
                if (claimed.Count == 0)
                {
                    await Task.Delay(10);
                    continue;
                }

                var message = claimed[0];
                await queue.RecordAttemptAsync(message.Lease,
                    [.. message.PendingRecipients.Select(r => new RecipientOutcome(r, RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok")))],
                    DateTimeOffset.UtcNow, null, CancellationToken.None);
                if (Interlocked.Increment(ref delivered) % Math.Max(1, options.Messages / 10) == 0)
                {
                    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{delivered} delivered after {started.Elapsed.TotalSeconds:F0} s"));
                }
            }
        }));
        var all = Task.WhenAll(producers.Concat(consumers));
        while (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(1))) != all)
        {
            peakBacklog = Math.Max(peakBacklog, Volatile.Read(ref committed) - Volatile.Read(ref delivered));
        }

        await all;
        return (started.Elapsed, peakBacklog);
    }
}
