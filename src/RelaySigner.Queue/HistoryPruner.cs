using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RelaySigner.Queue;

/// <summary>
/// Removes message history older than <see cref="QueueOptions.HistoryRetention"/>: at start, then every
/// <see cref="Interval"/>, in batches of <see cref="BatchSize"/> messages, each its own short transaction, so the
/// relay's own writes wait at most for one batch. With history off (retention zero) it removes what an earlier run
/// kept, once. On a shared store every node prunes; a batch another node removed first is simply not found.
/// </summary>
public sealed class HistoryPruner(
    IHistoryPruning store, IOptions<QueueOptions> options, TimeProvider time, ILogger<HistoryPruner> logger) : BackgroundService
{
    /// <summary>Messages per transaction: their attempts and history rows are a few dozen pages at most.</summary>
    public const int BatchSize = 500;

    /// <summary>History is kept for days; an hour more or less of it does not matter.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = options.Value.HistoryRetention;
        do
        {
            await PruneAsync(time.GetUtcNow() - retention, stoppingToken).ConfigureAwait(false);
            if (retention <= TimeSpan.Zero)
            {
                return;
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        while (!stoppingToken.IsCancellationRequested);
    }

    /// <summary>Batches until none is full; a failure is logged and the next round tries again.</summary>
    private async Task PruneAsync(DateTimeOffset cutoff, CancellationToken stoppingToken)
    {
        var pruned = 0;
        try
        {
            int batch;
            do
            {
                batch = await store.PruneHistoryAsync(cutoff, BatchSize, stoppingToken).ConfigureAwait(false);
                pruned += batch;
            }
            while (batch == BatchSize && !stoppingToken.IsCancellationRequested);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            QueueLog.HistoryPruneFailed(logger, pruned, ex);
            return;
        }

        if (pruned > 0)
        {
            QueueLog.HistoryPruned(logger, pruned, cutoff);
        }
    }
}
