namespace RelaySigner.Queue;

/// <summary>Removes message history older than the retention (<see cref="HistoryPruner"/> calls it in the background).</summary>
public interface IHistoryPruning
{
    /// <summary>
    /// Removes the history of up to <paramref name="batchSize"/> messages that left the queue before
    /// <paramref name="cutoff"/>, in one short transaction.
    /// </summary>
    /// <returns>How many messages' history was removed; fewer than <paramref name="batchSize"/> when none is left.</returns>
    Task<int> PruneHistoryAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
