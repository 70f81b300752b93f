using System.Collections.Concurrent;
using System.Net;
using System.Text;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;
using RelaySigner.Tools;
using Xunit.Abstractions;

namespace RelaySigner.IntegrationTests;

/// <summary>
/// Promise 1 under kill -9: the relay runs as its own process, is SIGKILLed while messages are being submitted and
/// delivered, and is started again on the same queue. Every message that got 250 must reach the sink, byte for byte.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output) : IDisposable
{
    private const int Total = 300;
    private const int KillAfterAccepted = 200;
    private const int Submitters = 8;

    private static readonly ConcurrentQueue<string> Failures = new();

    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Every_message_that_got_250_is_delivered_byte_identical_after_kill_9_and_restart()
    {
        var queuePath = Path.Combine(_folder.Path, "queue");
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        (string, string)[] settings = [("Relay:Delivery:Smarthost", sink.Endpoint.ToString())];
        var received = new ConcurrentDictionary<string, byte[]>();
        var receivedCount = 0;
        var accepted = new ConcurrentDictionary<string, byte[]>();
        string[]? expected = null; // set once submission is over
        var allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void CheckAllReceived()
        {
            if (Volatile.Read(ref expected) is { } keys && keys.All(received.ContainsKey))
            {
                allReceived.TrySetResult();
            }
        }

        using var stopReading = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            await foreach (var message in sink.Received.ReadAllAsync(stopReading.Token))
            {
                received.TryAdd(Submission.SubjectOf(message.Content), message.Content);
                Interlocked.Increment(ref receivedCount);
                CheckAllReceived();
            }
        });

        var first = await RelayProcess.StartAsync(queuePath, _folder.Path, settings);
        var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = 0;
        var next = -1;
        var submitters = Enumerable.Range(0, Submitters).Select(_ => Task.Run(async () =>
        {
            int n;
            while (Volatile.Read(ref killed) == 0 && (n = Interlocked.Increment(ref next)) < Total)
            {
                var subject = $"crash {n}";
                var content = Submission.Message("app@example.com", "rcpt@example.org", subject, $"message {n}\r\n{string.Concat(Enumerable.Repeat(new string('x', 76) + "\r\n", 30))}");
                if (await Submission.TrySendAsync(first.Port, content, Failures))
                {
                    accepted[subject] = content;
                    if (accepted.Count >= KillAfterAccepted)
                    {
                        killNow.TrySetResult();
                    }
                }
            }
        })).ToArray();

        await Task.WhenAny(killNow.Task, Task.WhenAll(submitters));
        Assert.True(killNow.Task.IsCompleted, "submissions failed: " + string.Join("\n", Failures.Take(5)));
        var deliveredBeforeKill = Volatile.Read(ref receivedCount);
        await first.KillAsync();
        Volatile.Write(ref killed, 1);
        await Task.WhenAll(submitters);
        var acceptedAtKill = accepted.Count;
        output.WriteLine($"killed with {acceptedAtKill} accepted, {deliveredBeforeKill} delivered before the kill");
        Assert.True(deliveredBeforeKill < acceptedAtKill, "the kill came while deliveries were still outstanding");

        // Restart on the same queue. Leases of the killed run must not hold anything back (LeaseDuration is 15 min).
        await using var second = await RelayProcess.StartAsync(queuePath, _folder.Path, settings);
        Volatile.Write(ref expected, [.. accepted.Keys]);
        CheckAllReceived();
        await Task.WhenAny(allReceived.Task, Task.Delay(TimeSpan.FromSeconds(90)));

        var missing = accepted.Keys.Where(k => !received.ContainsKey(k)).ToList();
        output.WriteLine(string.Join("\n", second.Entries.Where(e => e.EventId == EventIds.Queue.LeasesReleased).Select(e => e.Message)));
        Assert.True(missing.Count == 0, $"{missing.Count} accepted messages never arrived, e.g. {string.Join(", ", missing.Take(5))}");
        foreach (var (subject, sent) in accepted)
        {
            var arrived = received[subject];
            Assert.True(arrived.AsSpan().EndsWith(sent), $"{subject} arrived changed");
            Assert.StartsWith("DKIM-Signature:", Encoding.ASCII.GetString(arrived, 0, 15));
        }

        await stopReading.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
    }

    public void Dispose() => _folder.Dispose();
}
