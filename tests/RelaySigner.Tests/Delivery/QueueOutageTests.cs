using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Delivery;
using RelaySigner.Delivery.Scheduling;

namespace RelaySigner.Tests.Delivery;

/// <summary>
/// A queue that fails for a while (a shared database going away) pauses delivery; the worker keeps running and
/// claims again once the queue answers.
/// </summary>
public sealed class QueueOutageTests
{
    [Fact]
    public async Task The_delivery_worker_outlives_a_queue_outage_and_claims_again_afterwards()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.Zero));
        var queue = new FailingQueue();
        var worker = new DeliveryWorker(queue, null!, new DeliveryWakeup(time), Options.Create(new DeliveryOptions()),
            time, NullLogger<DeliveryWorker>.Instance);

        await worker.StartAsync(CancellationToken.None);
        // The pauses after a failure run on the worker's clock: move it on until the claim and then the look at the
        // next due time have failed, then until the worker claims again (or ends).
        await AdvanceUntilAsync(queue.NextDueFailed.Task);
        queue.Down = false;
        await AdvanceUntilAsync(queue.ClaimedAfterOutage.Task);

        Assert.False(worker.ExecuteTask!.IsCompleted, "the worker ended");
        Assert.True(queue.ClaimedAfterOutage.Task.IsCompleted, "no claim after the outage");
        await worker.StopAsync(CancellationToken.None);

        async Task AdvanceUntilAsync(Task done)
        {
            for (var i = 0; i < 3000 && !done.IsCompleted && !worker.ExecuteTask!.IsCompleted; i++)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(done, worker.ExecuteTask!, Task.Delay(10));
            }
        }
    }

    /// <summary>Throws from every call while <see cref="Down"/>; afterwards an empty queue.</summary>
    private sealed class FailingQueue : IMessageQueue
    {
        public volatile bool Down = true;

        public TaskCompletionSource NextDueFailed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ClaimedAfterOutage { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<IReadOnlyList<QueuedMessage>> ClaimDueAsync(int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken)
        {
            if (Down)
            {
                throw new InvalidOperationException("database down");
            }

            ClaimedAfterOutage.TrySetResult();
            return Task.FromResult<IReadOnlyList<QueuedMessage>>([]);
        }

        public Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken)
        {
            if (Down)
            {
                NextDueFailed.TrySetResult();
                throw new InvalidOperationException("database down");
            }

            return Task.FromResult<DateTimeOffset?>(null);
        }

        public Task<QueueId> EnqueueAsync(Envelope envelope, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<QueueId> EnqueueAsync(Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> contentParts, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<QueueId?> RecordAttemptAsync(QueueLease lease, IReadOnlyList<RecipientOutcome> outcomes, DateTimeOffset nextAttemptAt,
            GeneratedMessage? notification, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
