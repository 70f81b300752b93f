using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RelaySigner.Queue;
using RelaySigner.Testing;

namespace RelaySigner.Benchmarks.Scale;

/// <summary>
/// The queue-scale benchmark: the real store (<see cref="SqliteMessageQueue"/>, WAL, synchronous=FULL) in a temp
/// folder per depth, filled (<see cref="ScaleBacklog"/>), then per round and depth: enqueue from concurrent callers,
/// claim and complete as the delivery worker does, a gauge scrape, the worker's next-due look, and a reopen after a
/// "crash" that left leases. The depths take turns round by round, so load from elsewhere on a shared machine
/// falls on all of them alike. One warm-up round, then medians. The folders are deleted at the end.
/// </summary>
internal static class ScaleDriver
{
    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var content = ScaleWorkload.Message(options.Size);
        var folders = options.Queued.Select(_ => new TempFolder()).ToArray();
        var queues = new SqliteMessageQueue?[folders.Length];
        try
        {
            for (var i = 0; i < folders.Length; i++)
            {
                Fill(folders[i].Path, options.Queued[i], content);
                queues[i] = Open(folders[i].Path);
            }

            var rounds = options.Queued.Select(_ => new List<ScaleRound>()).ToArray();
            for (var round = 0; round <= options.Rounds; round++)
            {
                for (var i = 0; i < folders.Length; i++)
                {
                    (var measured, queues[i]) = await RoundAsync(queues[i]!, folders[i].Path, options.Queued[i], content, options);
                    Progress($"depth {options.Queued[i]} round {round}{(round == 0 ? " (warm-up)" : "")}: {measured}");
                    if (round > 0)
                    {
                        rounds[i].Add(measured);
                    }
                }
            }

            var rows = new List<(int, ScaleRound, double, double)>();
            for (var i = 0; i < folders.Length; i++)
            {
                var listing = Stopwatch.GetTimestamp();
                var listed = QueueListing.Read(folders[i].Path).Count;
                var list = Stopwatch.GetElapsedTime(listing).TotalMilliseconds;
                Progress($"depth {options.Queued[i]}: queue list read {listed} messages in {list:F0} ms");
                var reading = Stopwatch.GetTimestamp();
                var pending = QueueListing.ReadPending(folders[i].Path).Count();
                var stats = Stopwatch.GetElapsedTime(reading).TotalMilliseconds;
                Progress($"depth {options.Queued[i]}: queue stats read {pending} pending recipients in {stats:F0} ms");
                rows.Add((options.Queued[i], Median(rounds[i]), list, stats));
            }

            ScaleReport.Write(Console.Out, options, rows);
            return 0;
        }
        finally
        {
            foreach (var queue in queues)
            {
                if (queue is not null)
                {
                    await queue.DisposeAsync();
                }
            }

            foreach (var folder in folders)
            {
                folder.Dispose();
            }
        }
    }

    private static void Fill(string folder, int depth, byte[] content)
    {
        Open(folder).Dispose(); // the queue creates the file, its schema and WAL mode
        var filling = Stopwatch.GetTimestamp();
        var path = Path.Combine(folder, QueueOptions.DatabaseFileName);
        ScaleBacklog.Fill(path, depth, content, DateTimeOffset.UtcNow);
        Progress($"depth {depth}: filled in {Stopwatch.GetElapsedTime(filling).TotalSeconds:F0} s, {new FileInfo(path).Length / 1048576.0:F0} MB");
    }

    /// <returns>What the round measured, and the queue reopened at its end.</returns>
    private static async Task<(ScaleRound, SqliteMessageQueue)> RoundAsync(
        SqliteMessageQueue queue, string folder, int depth, byte[] content, ScaleOptions options)
    {
        var cpuAtStart = ProcessorTime();
        var enqueue = await ScaleWorkload.EnqueueAsync(queue, content, options.Messages, options.Callers);
        var cpuAfterEnqueue = ProcessorTime();
        var claim = await ScaleWorkload.ClaimAndCompleteAsync(queue, options.Messages, options.Slots);
        var cpuAfterClaim = ProcessorTime();
        var gauges = Median(3, () => Scrape(queue, depth));
        var nextDue = Median(3, () => queue.NextDueAtAsync(CancellationToken.None).GetAwaiter().GetResult());

        await ScaleWorkload.LeaveLeasesAsync(queue, options.Slots);
        await queue.DisposeAsync();
        var opening = Stopwatch.GetTimestamp();
        var reopened = Open(folder);
        var open = Stopwatch.GetElapsedTime(opening).TotalMilliseconds;
        return (new ScaleRound(
            enqueue,
            claim,
            (cpuAfterEnqueue - cpuAtStart).TotalMicroseconds / options.Messages,
            (cpuAfterClaim - cpuAfterEnqueue).TotalMicroseconds / options.Messages,
            gauges,
            nextDue,
            open), reopened);
    }

    private static TimeSpan ProcessorTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static void Scrape(SqliteMessageQueue queue, int depth)
    {
        using var scrape = new ScaleGaugeScrape(queue);
        scrape.Scrape();
        if (scrape.Depth != depth)
        {
            throw new InvalidOperationException($"The depth gauge says {scrape.Depth}, the queue holds {depth}.");
        }
    }

    private static SqliteMessageQueue Open(string folder) =>
        new(Options.Create(new QueueOptions { Path = folder }), TimeProvider.System, NullLogger<SqliteMessageQueue>.Instance);

    private static ScaleRound Median(List<ScaleRound> rounds) => new(
        Median(rounds.Select(r => r.EnqueueMicroseconds)),
        Median(rounds.Select(r => r.ClaimMicroseconds)),
        Median(rounds.Select(r => r.EnqueueCpuMicroseconds)),
        Median(rounds.Select(r => r.ClaimCpuMicroseconds)),
        Median(rounds.Select(r => r.GaugesMilliseconds)),
        Median(rounds.Select(r => r.NextDueMilliseconds)),
        Median(rounds.Select(r => r.OpenMilliseconds)));

    private static double Median(int times, Action action) =>
        Median(Enumerable.Range(0, times).Select(_ =>
        {
            var started = Stopwatch.GetTimestamp();
            action();
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void Progress(string line) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss} {line}"));
}
