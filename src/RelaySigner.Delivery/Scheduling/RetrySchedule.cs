namespace RelaySigner.Delivery.Scheduling;

/// <summary>
/// When the pending recipients of a message are tried again: the configured step for the number of attempts made
/// (the last step repeats), spread by ±<see cref="DeliveryOptions.RetryJitter"/>, and never later than the moment the
/// message reaches <see cref="DeliveryOptions.MaxAge"/> — that last attempt is when its recipients expire (5.4.7).
/// </summary>
/// <remarks>The schedule lives in the queue row (<c>next_attempt_at</c>), so it survives restarts; this only computes it.</remarks>
public sealed class RetrySchedule(DeliveryOptions options, Random random)
{
    /// <param name="attemptsMade">Attempts made so far, the one just finished included (1 or more).</param>
    public DateTimeOffset NextAttemptAt(DateTimeOffset now, DateTimeOffset receivedAt, int attemptsMade)
    {
        var steps = options.EffectiveRetrySchedule;
        var step = steps[Math.Clamp(attemptsMade - 1, 0, steps.Count - 1)];
        var spread = options.RetryJitter * ((2 * random.NextDouble()) - 1);
        var next = now + (step * (1 + spread));
        var expiry = receivedAt + options.MaxAge;
        return next < expiry ? next : (expiry > now ? expiry : now);
    }
}
