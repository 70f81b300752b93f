using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using System.Diagnostics.Metrics;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Core.Telemetry;
using RelaySigner.Delivery;
using RelaySigner.Delivery.Bounces;
using RelaySigner.Delivery.Routing;
using RelaySigner.Delivery.Scheduling;
using RelaySigner.Delivery.Transport;
using RelaySigner.Queue;
using RelaySigner.Tests.Queue;

namespace RelaySigner.Tests.Delivery;

/// <summary>Injected faults: the delivery loop keeps going, and what an attempt reached before a fault is kept.</summary>
public sealed class DeliveryFaultTests
{
    private static readonly DeliveryOptions MxDelivery = new() { HeloName = "relay.test" };

    [Fact]
    public async Task A_failed_next_due_read_is_logged_and_the_loop_claims_again()
    {
        var queue = new NextDueFailsOnceQueue();
        var time = new FakeTimeProvider();
        var wakeup = new DeliveryWakeup(time);
        var log = new AwaitableLogger<DeliveryWorker>();
        using var worker = new DeliveryWorker(
            queue, Delivery(queue, new ThrowingTransport(""), time, new AwaitableLogger<MessageDelivery>()), wakeup, Options.Create(MxDelivery), time, log);
        await worker.StartAsync(CancellationToken.None);

        await log.WaitForEventAsync(EventIds.Delivery.QueueUnavailable);
        wakeup.Notify(); // a message queued: the back-off ends at once
        await queue.SecondClaim.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(worker.ExecuteTask!.IsCompleted);
        await worker.StopAsync(CancellationToken.None);
        Assert.True(worker.ExecuteTask.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_destination_that_throws_defers_its_recipients_and_keeps_those_already_delivered()
    {
        await using var folder = new QueueFolder("delivery-fault");
        var queue = folder.Open();
        await queue.EnqueueAsync(new Envelope("sender@example.test", ["a@alpha.test", "b@beta.test"]), DeliveryEngine.Content, CancellationToken.None);
        var message = (await queue.ClaimDueAsync(1, TimeSpan.FromMinutes(15), CancellationToken.None)).Single();
        var log = new AwaitableLogger<MessageDelivery>();

        await Delivery(queue, new ThrowingTransport("beta.test"), folder.Time, log).AttemptAsync(message, CancellationToken.None);

        var entry = Assert.Single(QueueListing.Read(folder.Path));
        Assert.Equal(
            [("a@alpha.test", RecipientStatus.Delivered), ("b@beta.test", RecipientStatus.Pending)],
            entry.Recipients.Select(r => (r.Address, r.Status)));
        Assert.Null(entry.LeasedUntil);
        await log.WaitForEventAsync(EventIds.Delivery.DestinationCrashed);
    }

    [Fact]
    public async Task Outcomes_are_saved_in_envelope_order_and_a_retry_names_each_recipient_by_its_envelope_index()
    {
        await using var folder = new QueueFolder("delivery-order");
        var queue = folder.Open();
        var id = await queue.EnqueueAsync(new Envelope("sender@example.test", ["a@alpha.test", "b@beta.test", "c@alpha.test"]), DeliveryEngine.Content, CancellationToken.None);
        var transport = new RecordingTransport(deferred: "a@alpha.test");
        var delivery = Delivery(queue, transport, folder.Time, new AwaitableLogger<MessageDelivery>());

        await delivery.AttemptAsync((await queue.ClaimDueAsync(1, TimeSpan.FromMinutes(15), CancellationToken.None)).Single(), CancellationToken.None);
        folder.Time.Advance(TimeSpan.FromHours(1));
        await delivery.AttemptAsync((await queue.ClaimDueAsync(1, TimeSpan.FromMinutes(15), CancellationToken.None)).Single(), CancellationToken.None);

        // Two destinations, alpha first: still a, b, c in the history's first attempt, position for position.
        Assert.Equal(["a@alpha.test", "b@beta.test", "c@alpha.test"], HistorySql.ReadAttempts(folder.Path, id).Where(a => a.Attempt == 1).Select(a => a.Recipient));
        Assert.Equal([("a@alpha.test", 0), ("c@alpha.test", 2), ("b@beta.test", 1), ("a@alpha.test", 0)], transport.Calls);
    }

    private static MessageDelivery Delivery(IMessageQueue queue, ISmtpTransport transport, TimeProvider time, AwaitableLogger<MessageDelivery> log) => new(
        queue,
        new EveryDomainResolves(),
        transport,
        new RetrySchedule(MxDelivery, new Random(1)),
        new DeliveryStatusNotification(MxDelivery.EffectiveHeloName, time),
        Options.Create(MxDelivery),
        time,
        new RelayMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()),
        log);

    private sealed class EveryDomainResolves : IDestinationResolver
    {
        public Task<DestinationResolution> ResolveAsync(string domain, CancellationToken cancellationToken) =>
            Task.FromResult(DestinationResolution.Resolved(new Destination(domain, [])));
    }

    /// <summary>Delivers every recipient, except that it throws for <paramref name="failingDestination"/>.</summary>
    private sealed class ThrowingTransport(string failingDestination) : ISmtpTransport
    {
        public Task<IReadOnlyList<RecipientOutcome>> DeliverAsync(
            QueueId id, string sender, IReadOnlyList<string> recipients, IReadOnlyList<int> recipientIndexes, byte[] content, Destination route, RelaySigner.Core.Dsn.DsnRequest? dsn,
            CancellationToken cancellationToken) =>
            route.Name == failingDestination
                ? throw new InvalidOperationException("injected transport fault")
                : Task.FromResult<IReadOnlyList<RecipientOutcome>>(
                    [.. recipients.Select(r => new RecipientOutcome(r, RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok")))]);
    }

    /// <summary>Notes each recipient with the envelope index it was given; defers one, delivers the rest.</summary>
    private sealed class RecordingTransport(string deferred) : ISmtpTransport
    {
        public List<(string Recipient, int Index)> Calls { get; } = [];

        public Task<IReadOnlyList<RecipientOutcome>> DeliverAsync(
            QueueId id, string sender, IReadOnlyList<string> recipients, IReadOnlyList<int> recipientIndexes, byte[] content, Destination route,
            RelaySigner.Core.Dsn.DsnRequest? dsn, CancellationToken cancellationToken)
        {
            Calls.AddRange(recipients.Zip(recipientIndexes));
            return Task.FromResult<IReadOnlyList<RecipientOutcome>>([.. recipients.Select(r => r == deferred
                ? new RecipientOutcome(r, RecipientStatus.Pending, new SmtpReply(451, "4.7.1", "try later"))
                : new RecipientOutcome(r, RecipientStatus.Delivered, new SmtpReply(250, "2.0.0", "ok")))]);
        }
    }

    /// <summary>An empty queue whose first <see cref="NextDueAtAsync"/> throws, as a failed disk read would.</summary>
    private sealed class NextDueFailsOnceQueue : IMessageQueue
    {
        private readonly TaskCompletionSource _secondClaim = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _claims;
        private int _nextDueReads;

        public Task SecondClaim => _secondClaim.Task;

        public Task<IReadOnlyList<QueuedMessage>> ClaimDueAsync(int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _claims) == 2)
            {
                _secondClaim.TrySetResult();
            }

            return Task.FromResult<IReadOnlyList<QueuedMessage>>([]);
        }

        public Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _nextDueReads) == 1
                ? throw new IOException("injected: disk I/O error")
                : Task.FromResult<DateTimeOffset?>(null);

        public Task<QueueId> EnqueueAsync(Envelope envelope, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<QueueId> EnqueueAsync(Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> contentParts, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<QueueId?> RecordAttemptAsync(
            QueueLease lease, IReadOnlyList<RecipientOutcome> outcomes, DateTimeOffset nextAttemptAt, GeneratedMessage? notification, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
