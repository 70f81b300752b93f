namespace RelaySigner.Core.Queue;

/// <summary>
/// Lets intake tell the delivery loop that a message was queued, so a fresh message goes out at once
/// instead of waiting for the next poll. Signals coalesce: many enqueues while the loop is busy wake it once.
/// Waits run on the injected <see cref="TimeProvider"/>, so the scheduler can be tested on fake time.
/// </summary>
public sealed class DeliveryWakeup(TimeProvider time)
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the loop will look at the queue anyway.
        }
    }

    /// <summary>Waits for a signal or until <paramref name="timeout"/> has passed on the clock; true when signalled.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _signal.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
