namespace RelaySigner.Core.Feedback;

/// <summary>Counts kept by the stores as outcomes and feedback are recorded (not recomputed from the history, which
/// may be pruned sooner than a rate's window).</summary>
public interface IFeedbackRates
{
    /// <summary>The counts for <paramref name="domain"/> (an organisational From domain) since <paramref name="since"/>.</summary>
    Task<FeedbackRates> GetAsync(string domain, DateTimeOffset since, CancellationToken cancellationToken);
}
