using System.Collections.Concurrent;
using System.Net;
using System.Text;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;
using RelaySigner.Tools;
using Xunit.Abstractions;

namespace RelaySigner.IntegrationTests;

/// <summary>
/// Several relay processes on one PostgreSQL queue (a throwaway cluster on 127.0.0.1): they start at once on an empty
/// database, a node SIGKILLed mid-stream loses nothing that got 250, and the per-destination session limit holds for
/// the nodes together, counted where the receiver would count it.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ClusterTests(PostgreSqlServer server, ITestOutputHelper output) : IClassFixture<PostgreSqlServer>, IAsyncLifetime
{
    private const int Nodes = 3;
    private static readonly ConcurrentQueue<string> Failures = new();
    private readonly TempFolder _folder = new();
    private readonly List<RelayProcess> _started = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _started)
        {
            await node.DisposeAsync(); // kills what still runs
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task Every_message_that_got_250_is_delivered_byte_identical_and_signed_when_one_of_three_nodes_is_killed()
    {
        const int total = 2000;
        const int killAfterAccepted = 700;
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var database = await server.CreateDatabaseAsync();
        var received = new ConcurrentDictionary<string, byte[]>();
        var deliveries = new ConcurrentDictionary<string, int>();
        var accepted = new ConcurrentDictionary<string, byte[]>();
        string[]? expected = null; // set once submission is over
        var allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopReading = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            await foreach (var message in sink.Received.ReadAllAsync(stopReading.Token))
            {
                var subject = Submission.SubjectOf(message.Content);
                received.TryAdd(subject, message.Content);
                deliveries.AddOrUpdate(subject, 1, (_, n) => n + 1);
                if (Volatile.Read(ref expected) is { } keys && keys.All(received.ContainsKey))
                {
                    allReceived.TrySetResult();
                }
            }
        });

        // The nodes start at once on the empty database: one creates the tables, the others wait for it.
        var nodes = await StartNodesAsync(database, sink.Endpoint,
            ("Relay:Delivery:LeaseDuration", "00:00:10")); // so the killed node's leases pass on within the test
        var killed = 0;
        var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var next = -1;
        var submitters = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < total)
            {
                // Round robin over the nodes, as a load balancer would; none to the dead one once it is killed.
                var node = Volatile.Read(ref killed) == 1 ? nodes[1 + (n % (Nodes - 1))] : nodes[n % Nodes];
                var subject = $"cluster {n}";
                var content = Submission.Message("app@example.com", "rcpt@example.org", subject,
                    $"message {n}\r\n{string.Concat(Enumerable.Repeat(new string('y', 76) + "\r\n", 20))}");
                if (await Submission.TrySendAsync(node.Port, content, Failures))
                {
                    accepted[subject] = content;
                    if (accepted.Count >= killAfterAccepted)
                    {
                        killNow.TrySetResult();
                    }
                }
            }
        })).ToArray();

        await Task.WhenAny(killNow.Task, Task.WhenAll(submitters));
        Assert.True(killNow.Task.IsCompleted, "submissions failed: " + string.Join("\n", Failures.Take(5)));
        await nodes[0].KillAsync();
        Volatile.Write(ref killed, 1);
        var deliveredAtKill = received.Count;
        await Task.WhenAll(submitters);
        Volatile.Write(ref expected, [.. accepted.Keys]);
        if (accepted.Keys.All(received.ContainsKey))
        {
            allReceived.TrySetResult();
        }

        await Task.WhenAny(allReceived.Task, Task.Delay(TimeSpan.FromSeconds(120)));
        await stopReading.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);

        var missing = accepted.Keys.Where(k => !received.ContainsKey(k)).ToList();
        var twice = deliveries.Count(d => d.Value > 1);
        output.WriteLine($"{accepted.Count} of {total} accepted, node 0 killed with {deliveredAtKill} delivered; " +
            $"{received.Count} delivered, {twice} of them more than once");
        Assert.True(missing.Count == 0, $"{missing.Count} accepted messages never arrived, e.g. {string.Join(", ", missing.Take(5))}");
        foreach (var (subject, sent) in accepted)
        {
            var arrived = received[subject];
            Assert.True(arrived.AsSpan().EndsWith(sent), $"{subject} arrived changed");
            Assert.StartsWith("DKIM-Signature:", Encoding.ASCII.GetString(arrived, 0, 15));
        }
    }

    [Fact]
    public async Task Three_nodes_together_never_open_more_sessions_to_a_destination_than_its_limit()
    {
        const int total = 120;
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var proxy = SessionCountingProxy.Start(sink.Endpoint, serverDelay: TimeSpan.FromMilliseconds(20));
        var nodes = await StartNodesAsync(await server.CreateDatabaseAsync(), proxy.Endpoint,
            ("Relay:Delivery:MaxConnectionsPerDestination", "2"),
            // Every message on a session of its own: an idle session kept for reuse holds no slot.
            ("Relay:Delivery:ConnectionReuseTime", "00:00:00"));

        await Task.WhenAll(Enumerable.Range(0, total).Select(n => Task.Run(() =>
            Submission.TrySendAsync(nodes[n % Nodes].Port, Submission.Message("app@example.com", "rcpt@example.org", $"limit {n}"), Failures))));
        var arrived = 0;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (arrived < total)
        {
            await sink.Received.ReadAsync(patience.Token);
            arrived++;
        }

        output.WriteLine($"{proxy.Total} sessions, at most {proxy.MaxOpen} at once");
        Assert.InRange(proxy.MaxOpen, 1, 2);
    }

    private async Task<RelayProcess[]> StartNodesAsync(string database, IPEndPoint smarthost, params (string Key, string Value)[] settings)
    {
        var nodes = await Task.WhenAll(Enumerable.Range(0, Nodes).Select(i => RelayProcess.StartAsync(
            Path.Combine(_folder.Path, $"node-{i}"), _folder.Path,
            [
                ("Relay:Delivery:Smarthost", smarthost.ToString()),
                ("Relay:Queue:Provider", "PostgreSql"),
                ("Relay:Queue:ConnectionString", database),
                ("Relay:Queue:NodeName", $"node-{i}"),
                .. settings,
            ])));
        _started.AddRange(nodes);
        return nodes;
    }
}
