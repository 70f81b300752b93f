namespace RelaySigner.Delivery.Transport;

/// <summary>
/// Spaces session starts to one destination at least <c>interval</c> apart, on the injected <see cref="TimeProvider"/>.
/// Each caller reserves the next free slot and waits for it.
/// </summary>
/// <remarks>
/// Hand-written rather than System.Threading.RateLimiting's token bucket: that limiter measures elapsed time on the
/// real clock even when replenished by hand, so it cannot follow a <see cref="TimeProvider"/> and the rate could not be
/// tested on fake time.
/// </remarks>
internal sealed class MessageRateGate(TimeSpan interval, TimeProvider time)
{
    private readonly Lock _lock = new();
    private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;

    public Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var slot = _nextSlot > now ? _nextSlot : now;
            _nextSlot = slot + interval;
            wait = slot - now;
        }

        return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, time, cancellationToken);
    }
}
