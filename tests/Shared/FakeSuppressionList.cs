using System.Runtime.CompilerServices;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Testing;

/// <summary>
/// An in-memory <see cref="ISuppressionList"/> with the contract's semantics (the first entry of a recipient stays;
/// domains without case, local parts exactly), keeping the events it was given. For tests until the stores' list is
/// there, and for unit tests of what records into it. <see cref="FailNext"/> makes the next record throw, as a store
/// outage would.
/// </summary>
internal sealed class FakeSuppressionList : ISuppressionList
{
    private readonly Lock _gate = new();
    private readonly List<Suppression> _entries = [];
    private readonly List<RelayEvent> _events = [];

    public bool FailNext { get; set; }

    public IReadOnlyList<RelayEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<Suppression> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public Task<IReadOnlyDictionary<string, Suppression>> FindAsync(string domain, IReadOnlyCollection<string> recipients, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<string, Suppression> found = recipients
                .Select(r => (Recipient: r, Entry: _entries.FirstOrDefault(e => Same(e, domain, r))))
                .Where(x => x.Entry is not null)
                .ToDictionary(x => x.Recipient, x => x.Entry!);
            return Task.FromResult(found);
        }
    }

    public Task RecordAsync(IReadOnlyList<Suppression> suppressions, IReadOnlyList<RelayEvent> events, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("injected store failure");
            }

            _entries.AddRange(suppressions.Where(s => !_entries.Any(e => Same(e, s.Domain, s.Recipient))));
            _events.AddRange(events);
        }

        return Task.CompletedTask;
    }

    public Task<bool> RemoveAsync(string domain, string recipient, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_entries.RemoveAll(e => Same(e, domain, recipient)) > 0);
        }
    }

    public async IAsyncEnumerable<Suppression> ListAsync(string? domain, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var entry in Entries.Where(e => domain is null || e.Domain.Equals(domain, StringComparison.OrdinalIgnoreCase))
                     .OrderBy(e => e.Domain, StringComparer.Ordinal).ThenBy(e => e.Recipient, StringComparer.Ordinal))
        {
            yield return entry;
        }
    }

    private static bool Same(Suppression entry, string domain, string recipient)
    {
        var at = recipient.LastIndexOf('@');
        var entryAt = entry.Recipient.LastIndexOf('@');
        return entry.Domain.Equals(domain, StringComparison.OrdinalIgnoreCase) &&
            at == entryAt &&
            string.CompareOrdinal(entry.Recipient, 0, recipient, 0, at) == 0 &&
            entry.Recipient[(at + 1)..].Equals(recipient[(at + 1)..], StringComparison.OrdinalIgnoreCase);
    }
}
