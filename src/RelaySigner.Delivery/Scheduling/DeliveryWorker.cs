using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Queue;

namespace RelaySigner.Delivery.Scheduling;

/// <summary>
/// Takes due messages from the queue and runs one delivery attempt for each, at most
/// <see cref="DeliveryOptions.MaxConcurrentDeliveries"/> at a time. Promise: every attempt ends with its
/// per-recipient outcome saved and the lease released; the days-long retry schedule lives in the queue, never in
/// memory, so a restart loses nothing.
/// </summary>
public sealed class DeliveryWorker(
    IMessageQueue queue,
    MessageDelivery delivery,
    DeliveryWakeup wakeup,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    /// <summary>Upper bound on an idle wait, so a message made due by another process is still seen.</summary>
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(30);

    /// <summary>The pause after a failed queue read, cut short when a message is queued (the queue works again).</summary>
    private static readonly TimeSpan QueueRetry = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var slots = new SemaphoreSlim(settings.MaxConcurrentDeliveries);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Hold every free slot while claiming, then keep one per claimed message.
                await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                var held = 1;
                while (slots.Wait(0))
                {
                    held++;
                }

                var due = await ClaimAsync(held, settings.LeaseDuration, stoppingToken).ConfigureAwait(false);
                if (held > due.Count)
                {
                    slots.Release(held - due.Count);
                }

                foreach (var message in due)
                {
                    Start(message, slots, stoppingToken);
                }

                if (due.Count == 0)
                {
                    await WaitForWorkAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(_inFlight.Keys).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<QueuedMessage>> ClaimAsync(int count, TimeSpan lease, CancellationToken stoppingToken)
    {
        try
        {
            return await queue.ClaimDueAsync(count, lease, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await BackOffAsync(ex, stoppingToken).ConfigureAwait(false);
            return [];
        }
    }

    /// <summary>
    /// After a failed queue read (a locked or full disk, an I/O error, a shared database that is down or failing
    /// over): logged, a pause, then the loop goes on. An exception out of the loop would stop the whole host, intake
    /// included. Nothing is lost: what was not claimed stays queued, and what was claimed is recorded or its lease expires.
    /// </summary>
    private async Task BackOffAsync(Exception failure, CancellationToken stoppingToken)
    {
        DeliveryWorkerLog.QueueUnavailable(logger, failure);
        await wakeup.WaitAsync(QueueRetry, stoppingToken).ConfigureAwait(false);
    }

    private void Start(QueuedMessage message, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        var task = Task.Run(
            async () =>
            {
                try
                {
                    await delivery.AttemptAsync(message, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                    // The attempt set a new due time (or freed a slot): let the loop look again.
                    wakeup.Notify();
                }
            },
            CancellationToken.None);
        _inFlight.TryAdd(task, 0);
        _ = task.ContinueWith(done => _inFlight.TryRemove(done, out _), TaskScheduler.Default);
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? nextDue;
        try
        {
            nextDue = await queue.NextDueAtAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await BackOffAsync(ex, stoppingToken).ConfigureAwait(false);
            return;
        }

        var wait = nextDue is { } at ? at - time.GetUtcNow() : IdlePoll;
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        await wakeup.WaitAsync(wait < IdlePoll ? wait : IdlePoll, stoppingToken).ConfigureAwait(false);
    }
}
