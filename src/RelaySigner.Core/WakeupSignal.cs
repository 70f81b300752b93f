namespace RelaySigner.Core;

/// <summary>
/// A coalescing signal between a writer and a polling loop: the writer calls <see cref="Notify"/> after committing
/// work, the loop waits for it or for its poll interval. Many notifications while the loop is busy wake it once.
/// Waits run on the injected <see cref="TimeProvider"/>, so loops built on it can be tested on fake time.
/// </summary>
public abstract class WakeupSignal(TimeProvider time)
{
    private readonly PendingSignal _signal = new();

    public void Notify() => _signal.Set();

    /// <summary>Waits for a signal or until <paramref name="timeout"/> has passed on the clock; true when signalled.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_signal.TryTake())
        {
            return true; // under load the usual case: no timer to set up
        }

        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _signal.TakeAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
