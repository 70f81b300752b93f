namespace RelaySigner.Core.Queue;

/// <summary>
/// Lets intake tell the delivery loop that a message was queued, so a fresh message goes out at once
/// instead of waiting for the next poll. Signals coalesce: many enqueues while the loop is busy wake it once.
/// </summary>
public sealed class DeliveryWakeup
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

    /// <summary>Waits for a signal or the timeout; true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);
}
