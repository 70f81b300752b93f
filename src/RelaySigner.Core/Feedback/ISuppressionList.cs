namespace RelaySigner.Core.Feedback;

/// <summary>
/// The suppression list, kept in the queue's database (every node of a cluster sees the same list).
/// Contract: <see cref="RecordAsync"/> returns only once its entries and events are committed durably, in one
/// transaction, so the caller may then answer 250 (a bounce) or 200 (an unsubscribe). Adding a recipient that is
/// already listed for the domain keeps the first entry (its reason and time) and is not an error.
/// </summary>
public interface ISuppressionList
{
    /// <summary>The entries among <paramref name="recipients"/> for <paramref name="domain"/> (an organisational
    /// domain), keyed by the recipient as given.</summary>
    Task<IReadOnlyDictionary<string, Suppression>> FindAsync(
        string domain, IReadOnlyCollection<string> recipients, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="suppressions"/> and appends <paramref name="events"/> to the events outbox in
    /// one transaction; either may be empty.</summary>
    Task RecordAsync(IReadOnlyList<Suppression> suppressions, IReadOnlyList<RelayEvent> events, CancellationToken cancellationToken);

    /// <returns>Whether an entry was removed.</returns>
    Task<bool> RemoveAsync(string domain, string recipient, CancellationToken cancellationToken);

    /// <summary>Every entry, or those of <paramref name="domain"/>, ordered by domain then recipient.</summary>
    IAsyncEnumerable<Suppression> ListAsync(string? domain, CancellationToken cancellationToken);
}
