using System.Runtime.CompilerServices;

namespace RelaySigner.Dmarc.Reports.Store;

/// <summary>
/// Many reports into a store with several imports in flight: what an import costs is its durable commit (an fsync),
/// not its rows, and imports in flight together share commits (the embedded store's group commit, PostgreSQL's
/// WAL flush of concurrent commits). Results come back in the order the reports were given.
/// </summary>
public static class PipelinedImport
{
    /// <summary>Enough to fill a group commit on a slow disk without holding many large reports in memory.</summary>
    public const int DefaultInFlight = 32;

    /// <returns>Each item with whether its report was stored (false: stored before), in order.</returns>
    public static async IAsyncEnumerable<(T Item, bool Imported)> ImportAllAsync<T>(
        this IReportStore store,
        IEnumerable<T> items,
        Func<T, AggregateReport> report,
        int inFlight = DefaultInFlight,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFlight);
        var pending = new Queue<(T Item, Task<bool> Stored)>();
        try
        {
            foreach (var item in items)
            {
                pending.Enqueue((item, store.ImportAsync(report(item), cancellationToken)));
                if (pending.Count >= inFlight)
                {
                    var (done, stored) = pending.Dequeue();
                    yield return (done, await stored.ConfigureAwait(false));
                }
            }

            while (pending.TryDequeue(out var next))
            {
                yield return (next.Item, await next.Stored.ConfigureAwait(false));
            }
        }
        finally
        {
            // Never leave imports running unobserved when the caller stops early or one of them failed.
            await Task.WhenAll(pending.Select(p => p.Stored)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }
}
