using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core;
using RelaySigner.Core.Delivery;
using RelaySigner.Delivery;
using RelaySigner.Delivery.Transport;

namespace RelaySigner.Tests.Delivery;

public sealed class DestinationLimitsTests
{
    private static readonly SmtpReply Unreachable = new(451, "4.4.1", "connection refused");

    private static DestinationLimits Limits(DeliveryOptions options, TimeProvider? time = null) =>
        new(options, time ?? TimeProvider.System, NullLogger<DestinationLimits>.Instance);

    [Fact]
    public async Task No_more_than_the_per_destination_limit_of_sessions_run_at_once_and_the_rest_wait_their_turn()
    {
        var release = new TaskCompletionSource();
        await using var server = new ScriptedSmtpServer(_ => new SmtpScript { HoldDataEndReply = release.Task });
        await using var engine = new DeliveryEngine(server.Port, o => o.MaxConnectionsPerDestination = 2);
        await engine.StartAsync();
        var ids = new List<QueueId>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await engine.EnqueueAsync("sender@example.test", $"r{i}@dest.test"));
        }

        // Two transactions reach the server and are held there; the other three wait for a slot, not for a retry.
        await server.DataReceived.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await server.DataReceived.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        release.SetResult();

        foreach (var id in ids)
        {
            Assert.Equal(new AttemptCounts(1, 0, 0), await engine.AttemptDoneAsync(id, 1));
        }

        Assert.Equal(2, server.MaxConcurrentTransactions);
        Assert.Equal(5, server.SessionCount);
    }

    [Fact]
    public async Task The_global_limit_holds_across_destinations()
    {
        using var limits = Limits(new DeliveryOptions { MaxConnections = 1 });
        var events = new List<string>();
        var releaseA = new TaskCompletionSource();

        var a = limits.RunAsync("a.test", async _ =>
        {
            lock (events) { events.Add("a started"); }
            await releaseA.Task;
            lock (events) { events.Add("a ended"); }
            return null;
        }, CancellationToken.None).AsTask();
        var b = limits.RunAsync("b.test", _ =>
        {
            lock (events) { events.Add("b started"); }
            return ValueTask.FromResult<SmtpReply?>(null);
        }, CancellationToken.None).AsTask();

        Assert.False(b.IsCompleted);
        releaseA.SetResult();
        await Task.WhenAll(a, b).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["a started", "a ended", "b started"], events);
    }

    [Fact]
    public async Task A_messages_per_second_limit_spaces_sessions_on_the_clock()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(new DeliveryOptions { MessagesPerSecondPerDestination = 2 }, time);
        var ran = new List<string>();
        ValueTask<SmtpReply?> Session(string name)
        {
            lock (ran) { ran.Add(name); }
            return ValueTask.FromResult<SmtpReply?>(null);
        }

        var first = limits.RunAsync("dest.test", _ => Session("first"), CancellationToken.None).AsTask();
        var second = limits.RunAsync("dest.test", _ => Session("second"), CancellationToken.None).AsTask();
        var other = limits.RunAsync("other.test", _ => Session("other"), CancellationToken.None).AsTask();

        await Task.WhenAll(first, other).WaitAsync(TimeSpan.FromSeconds(30)); // another destination has its own budget
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["first", "other", "second"], ran);
    }

    [Fact]
    public async Task After_repeated_unreachable_sessions_a_destination_is_deferred_without_trying_until_the_break_ends()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(new DeliveryOptions { CircuitBreakerFailures = 3, CircuitBreakDuration = TimeSpan.FromMinutes(1) }, time);
        var tried = 0;
        ValueTask<SmtpReply?> Refused(CancellationToken _)
        {
            tried++;
            return ValueTask.FromResult<SmtpReply?>(Unreachable);
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Unreachable, await limits.RunAsync("dead.test", Refused, CancellationToken.None));
        }

        var skipped = await limits.RunAsync("dead.test", Refused, CancellationToken.None);
        Assert.Equal(3, tried);
        Assert.Equal("4.4.1", skipped!.EnhancedCode);
        Assert.Contains("circuit open", skipped.Text);
        Assert.Null(await limits.RunAsync("alive.test", _ => ValueTask.FromResult<SmtpReply?>(null), CancellationToken.None));

        // After the break one session may try again; a server that answers closes the circuit.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await limits.RunAsync("dead.test", _ => ValueTask.FromResult<SmtpReply?>(null), CancellationToken.None));
        Assert.Equal(Unreachable, await limits.RunAsync("dead.test", Refused, CancellationToken.None));
        Assert.Equal(4, tried);
    }

    [Fact]
    public async Task A_session_holds_a_slot_of_its_destination_counted_over_the_cluster_while_it_runs()
    {
        var slots = new RecordingSlots();
        using var limits = new DestinationLimits(new DeliveryOptions { MaxConnectionsPerDestination = 3 }, TimeProvider.System,
            NullLogger<DestinationLimits>.Instance, slots);

        await limits.RunAsync("Example.COM", _ =>
        {
            Assert.Equal(["take example.com of 3"], slots.Events);
            return ValueTask.FromResult<SmtpReply?>(null);
        }, CancellationToken.None);

        Assert.Equal(["take example.com of 3", "give back example.com"], slots.Events);
    }

    [Fact]
    public async Task A_message_rate_takes_its_turn_from_the_rate_counted_over_the_cluster_at_the_configured_interval()
    {
        var rate = new RecordingRate();
        using var limits = new DestinationLimits(new DeliveryOptions { MessagesPerSecondPerDestination = 4 }, TimeProvider.System,
            NullLogger<DestinationLimits>.Instance, rate: rate);

        await limits.RunAsync("Example.COM", _ => ValueTask.FromResult<SmtpReply?>(null), CancellationToken.None);

        Assert.Equal([("example.com", TimeSpan.FromMilliseconds(250))], rate.Turns);
    }

    [Fact]
    public async Task Without_a_message_rate_no_turn_is_asked_for()
    {
        var rate = new RecordingRate();
        using var limits = new DestinationLimits(new DeliveryOptions(), TimeProvider.System, NullLogger<DestinationLimits>.Instance, rate: rate);

        await limits.RunAsync("example.com", _ => ValueTask.FromResult<SmtpReply?>(null), CancellationToken.None);

        Assert.Empty(rate.Turns);
    }

    private sealed class RecordingRate : IDestinationRate
    {
        public List<(string Destination, TimeSpan Interval)> Turns { get; } = [];

        public Task WaitTurnAsync(string destination, TimeSpan interval, CancellationToken cancellationToken)
        {
            Turns.Add((destination, interval));
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingSlots : IDestinationSlots
    {
        public List<string> Events { get; } = [];

        public ValueTask<IAsyncDisposable> AcquireAsync(string destination, int limit, TimeSpan keepIdle, CancellationToken cancellationToken)
        {
            Events.Add($"take {destination} of {limit}");
            return ValueTask.FromResult<IAsyncDisposable>(new Slot(() => Events.Add($"give back {destination}")));
        }

        private sealed class Slot(Action release) : IAsyncDisposable
        {
            public ValueTask DisposeAsync()
            {
                release();
                return ValueTask.CompletedTask;
            }
        }
    }
}
