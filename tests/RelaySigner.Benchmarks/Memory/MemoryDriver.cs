using System.Diagnostics;
using System.Globalization;
using System.Net;
using RelaySigner.Benchmarks.Load;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.Benchmarks.Memory;

/// <summary>
/// The memory benchmark of issue 8: the relay as its own process (durable SQLite queue, RSA-2048 signing with the
/// demo key) delivering to a sink on loopback. Scenario A sends one large message and checks that the sink gets
/// exactly the client's bytes under a DKIM signature that verifies; scenario B holds many idle sessions open, each
/// past EHLO. Each scenario runs on a fresh relay and reports its resident set at start, with the load, and at peak
/// (VmHWM); the load generator and sink run here, so their memory is not counted.
/// </summary>
internal static class MemoryDriver
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    /// <summary>Idle sessions opened at once: the listen backlog is not what is measured.</summary>
    private const int ConnectConcurrency = 50;

    private const double Megabyte = 1024 * 1024;

    public static async Task<int> RunAsync(MemoryOptions options)
    {
        var rows = new List<string>();
        if (options.SizeMegabytes > 0)
        {
            rows.Add(await LargeMessageAsync(options.SizeBytes, declareSize: true));
            rows.Add(await LargeMessageAsync(options.SizeBytes, declareSize: false));
        }

        if (options.IdleSessions > 0)
        {
            rows.Add(await IdleSessionsAsync(options.IdleSessions));
        }

        Console.WriteLine("| scenario | relay RSS at start MB | relay RSS under load MB | relay peak RSS MB | detail |");
        Console.WriteLine("|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    /// <summary>Scenario A: one large message in, signed, queued, delivered; RSS "under load" is after delivery.</summary>
    /// <param name="declareSize">Whether the client declares the size with MAIL FROM ... SIZE=.</param>
    private static async Task<string> LargeMessageAsync(long size, bool declareSize)
    {
        var message = LargeMessage.Create(size);
        var limit = message.Content.Length + (8 * 1024 * 1024);
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0), limit);
        using var queue = new TempFolder();
        await using var relay = await StartRelayAsync(queue.Path, sink,
            ("Relay:Smtp:MaxMessageSize", limit.ToString(CultureInfo.InvariantCulture)));
        var atStart = relay.ResidentBytes;

        var started = Stopwatch.GetTimestamp();
        TimeSpan dataToReply;
        await using (var client = await LoadClient.ConnectAsync(relay.Port))
        {
            dataToReply = await client.SendAsync(message.Envelope(declareSize), message.DataWithTerminator);
        }

        ReceivedMessage received;
        try
        {
            received = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("the sink did not receive the message in time; the relay logged:\n" + string.Join("\n", relay.Lines));
        }

        var delivered = Stopwatch.GetElapsedTime(started);
        var peak = relay.PeakResidentBytes;
        var after = relay.ResidentBytes;

        if (!received.Content.AsSpan().EndsWith(message.Content))
        {
            throw new InvalidOperationException("the sink did not receive the client's bytes unchanged");
        }

        var verdicts = new DkimCheck(new KeyFolderPublicKeyLocator(RepositoryRoot.KeysExample)).Verify(received.Content);
        if (verdicts.Count == 0 || !verdicts.All(v => v.StartsWith("dkim=pass", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("the delivered message's DKIM signature does not verify: " + string.Join("; ", verdicts));
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"| A: one {message.Content.Length / Megabyte:F1} MiB message, {(declareSize ? "SIZE= declared" : "no SIZE=")} | {atStart / Megabyte:F0} | {after / Megabyte:F0} (after delivery) | " +
            $"{peak / Megabyte:F0} | DATA→250 {dataToReply.TotalSeconds:F2} s, delivered after {delivered.TotalSeconds:F2} s, " +
            $"{string.Join(", ", verdicts.Select(v => v.Split(' ')[0]))}, bytes unchanged |");
    }

    /// <summary>Scenario B: sessions connected on loopback, each past EHLO, then idle.</summary>
    private static async Task<string> IdleSessionsAsync(int count)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        using var queue = new TempFolder();
        var limit = (count + 100).ToString(CultureInfo.InvariantCulture);
        await using var relay = await StartRelayAsync(queue.Path, sink,
            ("Relay:Smtp:MaxConnections", limit),
            ("Relay:Smtp:MaxConnectionsPerClient", limit));

        // One session first, so the session code's first-use cost (JIT, pools) counts in the baseline, not per session.
        await (await LoadClient.ConnectAsync(relay.Port)).DisposeAsync();
        var atStart = relay.ResidentBytes;

        var sessions = new List<LoadClient>(count);
        using var connecting = new SemaphoreSlim(ConnectConcurrency);
        try
        {
            var opened = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
            {
                await connecting.WaitAsync();
                try
                {
                    return await LoadClient.ConnectAsync(relay.Port);
                }
                finally
                {
                    connecting.Release();
                }
            })).WaitAsync(Patience);
            sessions.AddRange(opened);

            var withSessions = relay.ResidentBytes;
            var peak = relay.PeakResidentBytes;
            return string.Create(CultureInfo.InvariantCulture,
                $"| B: {count} idle sessions past EHLO | {atStart / Megabyte:F0} | {withSessions / Megabyte:F0} | {peak / Megabyte:F0} | " +
                $"{(withSessions - atStart) / 1024.0 / count:F1} KiB per session |");
        }
        finally
        {
            await Task.WhenAll(sessions.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    private static Task<RelayProcess> StartRelayAsync(string queuePath, SmtpSink sink, params (string Key, string Value)[] settings) =>
        RelayProcess.StartAsync(
            queuePath,
            RepositoryRoot.Path,
            [
                ("Relay:Delivery:Smarthost", sink.Endpoint.ToString()),
                ("Logging:LogLevel:Default", "Warning"),
                ("Logging:LogLevel:RelaySigner.Intake.SmtpListenerService", "Information"),
                .. settings,
            ]);
}
