using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.Benchmarks.Load;

/// <summary>
/// The end-to-end load benchmark: the relay as its own process (durable SQLite queue, or PostgreSQL with
/// <c>--queue postgresql</c>; RSA-2048 signing with the demo key) between this driver's SMTP sessions and a sink on
/// loopback. Reports accepted/s, delivered/s, the
/// p50/p99 time from end of DATA to 250, the relay's peak RSS and its CPU seconds per 1,000 messages. The relay's
/// CPU is read from its own process, so the load generator and sink (here) are not counted in it.
/// </summary>
internal static class LoadDriver
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(LoadOptions options)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        using var queue = new TempFolder();
        await using var database = options.PostgreSql ? await LoadDatabase.OpenAsync(options.ConnectionString) : null;
        await using var relay = await RelayProcess.StartAsync(
            queue.Path,
            RepositoryRoot.Path,
            [
                ("Relay:Delivery:Smarthost", sink.Endpoint.ToString()),
                ("Relay:Smtp:MaxConnectionsPerClient", "1000"),
                ("Logging:LogLevel:Default", "Warning"),
                ("Logging:LogLevel:RelaySigner.Intake.SmtpListenerService", "Information"),
                .. database?.RelaySettings ?? [],
            ]);

        var (envelope, body) = Message(options.Size);
        var received = 0;
        var counting = Task.Run(async () =>
        {
            await foreach (var _ in sink.Received.ReadAllAsync())
            {
                Interlocked.Increment(ref received);
            }
        });

        await SendAsync(relay.Port, options with { Messages = options.Warmup }, envelope, body);
        await WaitForAsync(() => Volatile.Read(ref received) >= options.Warmup);

        var cpuBefore = relay.ProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var latencies = await SendAsync(relay.Port, options, envelope, body);
        var accepted = Stopwatch.GetElapsedTime(started);
        await WaitForAsync(() => Volatile.Read(ref received) >= options.Warmup + options.Messages);
        var delivered = Stopwatch.GetElapsedTime(started);
        var cpu = relay.ProcessorTime - cpuBefore;

        latencies.Sort();
        var line = string.Create(CultureInfo.InvariantCulture,
            $"| {(options.PostgreSql ? "postgresql" : "sqlite")} | {(options.Reuse ? "reuse" : "conn")} | {options.Messages} | {options.Sessions} | {options.Size} | " +
            $"{options.Messages / accepted.TotalSeconds:F0} | {options.Messages / delivered.TotalSeconds:F0} | " +
            $"{Percentile(latencies, 0.50):F2} | {Percentile(latencies, 0.99):F2} | {relay.PeakResidentBytes / 1048576.0:F0} | " +
            $"{cpu.TotalSeconds * 1000 / options.Messages:F2} |");
        Console.WriteLine("| queue | mode | messages | sessions | size | accepted/s | delivered/s | p50 ms (DATA→250) | p99 ms | relay peak RSS MB | relay CPU s / 1,000 msgs |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine(line);
        if (database is not null)
        {
            await database.ReportTablesAsync();
        }

        return 0;
    }

    /// <summary>Sends the messages over <see cref="LoadOptions.Sessions"/> concurrent sessions; returns each DATA→250 time in ms.</summary>
    private static async Task<List<double>> SendAsync(int port, LoadOptions options, byte[] envelope, byte[] body)
    {
        var remaining = options.Messages;
        var latencies = new ConcurrentBag<double>();
        var sessions = Enumerable.Range(0, options.Sessions).Select(async _ =>
        {
            while (true)
            {
                if (options.Reuse)
                {
                    await using var client = await LoadClient.ConnectAsync(port);
                    while (Interlocked.Decrement(ref remaining) >= 0)
                    {
                        latencies.Add((await client.SendAsync(envelope, body)).TotalMilliseconds);
                    }

                    return;
                }

                if (Interlocked.Decrement(ref remaining) < 0)
                {
                    return;
                }

                await using var single = await LoadClient.ConnectAsync(port);
                latencies.Add((await single.SendAsync(envelope, body)).TotalMilliseconds);
            }
        });
        await Task.WhenAll(sessions).WaitAsync(Patience);
        return [.. latencies];
    }

    private static async Task WaitForAsync(Func<bool> done)
    {
        // Polling the sink's counter every 10 ms: a benchmark clock, not test synchronisation.
        var deadline = Stopwatch.GetTimestamp() + (long)(Patience.TotalSeconds * Stopwatch.Frequency);
        while (!done())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException("the sink did not receive every message in time");
            }

            await Task.Delay(10);
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>A 10 KB-class text message from example.com (signed with the demo RSA-2048 key), ready to send.</summary>
    private static (byte[] Envelope, byte[] Body) Message(int size)
    {
        var text = new StringBuilder(size + 512)
            .Append("From: Load <load@example.com>\r\nTo: <sink@example.org>\r\nSubject: load\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n")
            .Append("Message-ID: <load@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        const string line = "The quick brown fox jumps over the lazy dog, again and again, 0123456789.\r\n";
        while (text.Length < size)
        {
            text.Append(line);
        }

        text.Append(".\r\n"); // no line starts with '.', so no dot-stuffing is needed
        return (Encoding.ASCII.GetBytes("MAIL FROM:<load@example.com>\r\nRCPT TO:<sink@example.org>\r\nDATA\r\n"), Encoding.ASCII.GetBytes(text.ToString()));
    }
}
