using System.Globalization;

namespace RelaySigner.Benchmarks.Scale;

/// <summary>The Markdown table of a queue-scale run; ratios are to the smallest depth measured.</summary>
internal static class ScaleReport
{
    public static void Write(TextWriter output, ScaleOptions options, IReadOnlyList<(int Depth, ScaleRound Median, double ListMilliseconds, double StatsMilliseconds)> rows)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"queue-scale: {options.Size} B messages, {options.Messages} per round, {options.Callers} enqueue callers, " +
            $"{options.Slots} delivery slots, medians of {options.Rounds} rounds"));
        output.WriteLine();
        output.WriteLine("| queued | enqueue µs/msg | ratio | claim+complete µs/msg | ratio | enqueue CPU µs/msg | ratio | claim+complete CPU µs/msg | ratio | gauges ms | next due ms | open ms | queue list ms | queue stats ms |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var baseline = rows[0].Median;
        foreach (var (depth, m, list, stats) in rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {depth:N0} | {m.EnqueueMicroseconds:F0} | {m.EnqueueMicroseconds / baseline.EnqueueMicroseconds:F2} | " +
                $"{m.ClaimMicroseconds:F0} | {m.ClaimMicroseconds / baseline.ClaimMicroseconds:F2} | " +
                $"{m.EnqueueCpuMicroseconds:F0} | {m.EnqueueCpuMicroseconds / baseline.EnqueueCpuMicroseconds:F2} | " +
                $"{m.ClaimCpuMicroseconds:F0} | {m.ClaimCpuMicroseconds / baseline.ClaimCpuMicroseconds:F2} | {m.GaugesMilliseconds:F2} | " +
                $"{m.NextDueMilliseconds:F2} | {m.OpenMilliseconds:F1} | {list:F0} | {stats:F0} |"));
        }
    }
}
