using RelaySigner.Core.Feedback;

namespace RelaySigner.Feedback.Events;

/// <summary>
/// How long a failed event waits before its next POST: <see cref="EventsOptions.RetryDelay"/> doubled for every
/// failure before (10 s, 20 s, 40 s …), at most <see cref="EventsOptions.MaxRetryDelay"/>, less up to
/// <see cref="Jitter"/> of it at random, so the events that failed together while a receiver was down do not all
/// come back in the same second when it returns. There is no last attempt: an event waits until the receiver takes it.
/// </summary>
public sealed class WebhookBackoff(EventsOptions options, Random random)
{
    /// <summary>The largest fraction taken off a delay at random.</summary>
    public const double Jitter = 0.2;

    /// <param name="failures">Failed POSTs of the event so far, the one just made included (1 or more).</param>
    public TimeSpan DelayAfter(int failures)
    {
        // 2^40 × any positive RetryDelay is past every sensible cap; the clamp keeps Math.Pow finite.
        var doubled = options.RetryDelay.TotalSeconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 40));
        var capped = Math.Min(doubled, options.MaxRetryDelay.TotalSeconds);
        return TimeSpan.FromSeconds(capped * (1 - (Jitter * random.NextDouble())));
    }
}
