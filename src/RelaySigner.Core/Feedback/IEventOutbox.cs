namespace RelaySigner.Core.Feedback;

/// <summary>
/// The events outbox as the webhook sender sees it. Events are appended by the stores in the transaction of what they
/// report (an attempt's outcome, a suppression), so a crash loses none; the sender claims due ones with a lease (on a
/// cluster, one node sends each), and removes each once the receiver answered 2xx.
/// </summary>
public interface IEventOutbox
{
    /// <summary>Leases up to <paramref name="maxCount"/> due events, oldest first, for <paramref name="leaseDuration"/>.</summary>
    Task<IReadOnlyList<OutboxEvent>> ClaimAsync(int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Removes events the receiver accepted.</summary>
    Task CompleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken);

    /// <summary>Releases an event that could not be sent, due again at <paramref name="nextAttemptAt"/>.</summary>
    Task RetryAsync(long id, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken);

    /// <summary>How many events wait (for the gauge and <c>/readyz</c>-style checks).</summary>
    Task<long> CountAsync(CancellationToken cancellationToken);
}
