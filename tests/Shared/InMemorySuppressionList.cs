using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Testing;

/// <summary>
/// A stand-in for the stores' suppression list and events outbox with the contract's semantics (the first entry of a
/// recipient stays; domains without case, local parts exactly), for unit tests of what writes to them.
/// <see cref="Entries"/> and <see cref="Events"/> show what was recorded; <see cref="FailNext"/> makes the next
/// <see cref="RecordAsync"/> throw, as a store outage would.
/// </summary>
public sealed class InMemorySuppressionList : ISuppressionList, IEventOutbox
{
    private readonly ConcurrentDictionary<(string Domain, string Recipient), Suppression> _entries = new();
    private readonly ConcurrentQueue<RelayEvent> _events = new();
    private long _nextEventId;

    public bool FailNext { get; set; }

    /// <summary>The entries recorded, in no particular order.</summary>
    public IReadOnlyList<Suppression> Entries => [.. _entries.Values];

    /// <summary>The events recorded and not yet claimed, in order.</summary>
    public IReadOnlyList<RelayEvent> Events => [.. _events];

    public Task<IReadOnlyDictionary<string, Suppression>> FindAsync(string domain, IReadOnlyCollection<string> recipients, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, Suppression>>(recipients
            .Where(r => _entries.ContainsKey(Key(domain, r)))
            .ToDictionary(r => r, r => _entries[Key(domain, r)]));

    public Task RecordAsync(IReadOnlyList<Suppression> suppressions, IReadOnlyList<RelayEvent> events, CancellationToken cancellationToken)
    {
        if (FailNext)
        {
            FailNext = false;
            throw new IOException("injected store failure");
        }

        foreach (var suppression in suppressions)
        {
            _entries.TryAdd(Key(suppression.Domain, suppression.Recipient), suppression);
        }

        foreach (var relayEvent in events)
        {
            _events.Enqueue(relayEvent);
        }

        return Task.CompletedTask;
    }

    public Task<bool> RemoveAsync(string domain, string recipient, CancellationToken cancellationToken) =>
        Task.FromResult(_entries.TryRemove(Key(domain, recipient), out _));

    public async IAsyncEnumerable<Suppression> ListAsync(string? domain, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        foreach (var entry in _entries.Values.Where(e => domain is null || e.Domain == domain).OrderBy(e => e.Domain).ThenBy(e => e.Recipient))
        {
            yield return entry;
        }
    }

    public Task<IReadOnlyList<OutboxEvent>> ClaimAsync(int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var claimed = new List<OutboxEvent>();
        while (claimed.Count < maxCount && _events.TryDequeue(out var relayEvent))
        {
            claimed.Add(new OutboxEvent(Interlocked.Increment(ref _nextEventId), 0, relayEvent));
        }

        return Task.FromResult<IReadOnlyList<OutboxEvent>>(claimed);
    }

    public Task CompleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RetryAsync(long id, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<long> CountAsync(CancellationToken cancellationToken) => Task.FromResult((long)_events.Count);

    // The suppression contract: the domain ignoring case, the local part exactly.
    private static (string, string) Key(string domain, string recipient)
    {
        var at = recipient.LastIndexOf('@');
        return (domain.ToLowerInvariant(), at < 0 ? recipient : recipient[..at] + recipient[at..].ToLowerInvariant());
    }
}
