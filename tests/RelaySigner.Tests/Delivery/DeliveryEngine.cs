using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Core.Telemetry;
using RelaySigner.Delivery;
using RelaySigner.Delivery.Bounces;
using RelaySigner.Delivery.Routing;
using RelaySigner.Delivery.Scheduling;
using RelaySigner.Delivery.Transport;
using RelaySigner.Queue;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Delivery;

/// <summary>
/// The real delivery engine — SQLite queue, <see cref="DeliveryWorker"/>, <see cref="MessageDelivery"/>,
/// <see cref="SmtpTransport"/> over loopback sockets — on a <see cref="FakeTimeProvider"/>, so a test walks the retry
/// schedule by advancing the clock, with no real waiting.
/// </summary>
internal sealed class DeliveryEngine : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "relaysigner-engine-" + Guid.NewGuid().ToString("N"));
    private readonly DeliveryWorker _worker;

    public DeliveryEngine(int smarthostPort, Action<DeliveryOptions>? configure = null)
    {
        Options = new DeliveryOptions
        {
            Smarthost = $"127.0.0.1:{smarthostPort}",
            HeloName = "relay.test",
            RetryJitter = 0.1,
            // Each message on its own session, so a test can read what every session saw (reuse: SmtpTransportTests).
            ConnectionReuseTime = TimeSpan.Zero,
        };
        configure?.Invoke(Options);
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Limits = new DestinationLimits(Options, Time, NullLogger<DestinationLimits>.Instance);
        Queue = new SqliteMessageQueue(
            Microsoft.Extensions.Options.Options.Create(new QueueOptions { Path = _folder }), Time, NullLogger<SqliteMessageQueue>.Instance);
        var delivery = new MessageDelivery(
            Queue,
            new DestinationResolver(options, NullLogger<DestinationResolver>.Instance),
            Transport = new SmtpTransport(options, NullLogger<SmtpTransport>.Instance, Time, Limits),
            new RetrySchedule(Options, new Random(20261128)),
            new DeliveryStatusNotification(Options.EffectiveHeloName, Time),
            options,
            Time,
            new RelayMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()),
            Log);
        Wakeup = new DeliveryWakeup(Time);
        _worker = new DeliveryWorker(Queue, delivery, Wakeup, options, Time, NullLogger<DeliveryWorker>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));

    public DeliveryOptions Options { get; }

    public SqliteMessageQueue Queue { get; }

    public DestinationLimits Limits { get; }

    public SmtpTransport Transport { get; private set; } = null!;

    public DeliveryWakeup Wakeup { get; }

    /// <summary>MessageDelivery's log: "attempt N done", DSN queued, …</summary>
    public AwaitableLogger<MessageDelivery> Log { get; } = new();

    public Task StartAsync() => _worker.StartAsync(CancellationToken.None);

    public Task<QueueId> EnqueueAsync(string sender, params string[] recipients) => EnqueueAsync(new Envelope(sender, recipients));

    public async Task<QueueId> EnqueueAsync(Envelope envelope)
    {
        var id = await Queue.EnqueueAsync(envelope, Content, CancellationToken.None);
        Wakeup.Notify();
        return id;
    }

    /// <summary>Waits until attempt <paramref name="attempt"/> of <paramref name="id"/> is recorded; returns its counts.</summary>
    public async Task<AttemptCounts> AttemptDoneAsync(QueueId id, int attempt) => AttemptCounts.Of(
        await Log.WaitForEventAsync(e => e.EventId is EventIds.Delivery.AttemptDeferred or EventIds.Delivery.AttemptDone && Equals(e["QueueId"], id.Value) && Equals(e["Attempt"], attempt)));

    /// <summary>Waits until the sender's non-delivery notification for <paramref name="id"/> is queued; returns its queue id.</summary>
    public async Task<QueueId> NotificationQueuedAsync(QueueId id) =>
        new((string)(await Log.WaitForEventAsync(EventIds.Delivery.BounceQueued, e => Equals(e["QueueId"], id.Value)))["DsnQueueId"]!);

    /// <summary>Moves the clock to the next due time (a message waiting in the queue) and returns how far it moved.</summary>
    public async Task<TimeSpan> AdvanceToNextDueAsync()
    {
        var due = await Queue.NextDueAtAsync(CancellationToken.None) ?? throw new InvalidOperationException("Nothing is queued.");
        var step = due - Time.GetUtcNow();
        if (step > TimeSpan.Zero)
        {
            Time.Advance(step);
        }

        return step;
    }

    public static byte[] Content { get; } = System.Text.Encoding.ASCII.GetBytes(
        "From: Sender <sender@example.test>\r\nTo: <a@dest.test>\r\nSubject: engine test\r\n" +
        "Message-ID: <engine@example.test>\r\n\r\nHello\r\n.dot line\r\n");

    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync(CancellationToken.None);
        _worker.Dispose();
        await Queue.DisposeAsync();
        Transport.Dispose();
        Limits.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
