using RelaySigner.Core.Feedback;

namespace RelaySigner.Testing;

/// <summary>
/// An events outbox in memory, on the test's clock, keeping the <see cref="IEventOutbox"/> contract the stores keep
/// (lease on claim, due again after the lease or at the retry time, oldest first), and recording what the sender did.
/// <see cref="FailNext"/> makes the next calls throw, as a database that is down would.
/// </summary>
internal sealed class InMemoryEventOutbox(TimeProvider time) : IEventOutbox
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, Entry> _entries = [];
    private readonly List<long> _completed = [];
    private readonly List<(long Id, DateTimeOffset NextAttemptAt)> _retries = [];
    private readonly List<TaskCompletionSource> _emptyWaiters = [];
    private long _nextId = 1;

    /// <summary>How many of the next calls throw.</summary>
    public int FailNext { get; set; }

    public IReadOnlyList<long> Completed
    {
        get
        {
            lock (_gate)
            {
                return [.. _completed];
            }
        }
    }

    public IReadOnlyList<(long Id, DateTimeOffset NextAttemptAt)> Retries
    {
        get
        {
            lock (_gate)
            {
                return [.. _retries];
            }
        }
    }

    public long Add(RelayEvent relayEvent)
    {
        lock (_gate)
        {
            var id = _nextId++;
            _entries[id] = new Entry(relayEvent) { DueAt = time.GetUtcNow() };
            return id;
        }
    }

    /// <summary>Completes when no event is left (every one completed).</summary>
    public Task WhenEmptyAsync()
    {
        lock (_gate)
        {
            if (_entries.Count == 0)
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _emptyWaiters.Add(waiter);
            return waiter.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public Task<IReadOnlyList<OutboxEvent>> ClaimAsync(int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            var now = time.GetUtcNow();
            var due = _entries.Where(e => e.Value.DueAt <= now && e.Value.LeasedUntil <= now).Take(maxCount).ToList();
            foreach (var (_, entry) in due)
            {
                entry.LeasedUntil = now + leaseDuration;
            }

            return Task.FromResult<IReadOnlyList<OutboxEvent>>([.. due.Select(e => new OutboxEvent(e.Key, e.Value.Attempts, e.Value.Event))]);
        }
    }

    public Task CompleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            foreach (var id in ids)
            {
                _entries.Remove(id);
                _completed.Add(id);
            }

            if (_entries.Count == 0)
            {
                _emptyWaiters.ForEach(w => w.TrySetResult());
                _emptyWaiters.Clear();
            }

            return Task.CompletedTask;
        }
    }

    public Task RetryAsync(long id, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            var entry = _entries[id];
            entry.Attempts++;
            entry.DueAt = nextAttemptAt;
            entry.LeasedUntil = DateTimeOffset.MinValue;
            _retries.Add((id, nextAttemptAt));
            return Task.CompletedTask;
        }
    }

    public Task<long> CountAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailing();
            return Task.FromResult((long)_entries.Count);
        }
    }

    private void ThrowIfFailing()
    {
        if (FailNext > 0)
        {
            FailNext--;
            throw new InvalidOperationException("outbox down (test)");
        }
    }

    private sealed class Entry(RelayEvent relayEvent)
    {
        public RelayEvent Event { get; } = relayEvent;

        public int Attempts { get; set; }

        public DateTimeOffset DueAt { get; set; }

        public DateTimeOffset LeasedUntil { get; set; } = DateTimeOffset.MinValue;
    }
}
