using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core.Telemetry;
using RelaySigner.Queue;
using RelaySigner.Tests.Delivery;

namespace RelaySigner.Tests.Queue;

/// <summary>The background pruning of the message history, on fake time against a store that records what it is asked.</summary>
public sealed class HistoryPrunerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task History_older_than_the_retention_is_pruned_at_start_in_batches_and_again_every_hour()
    {
        var store = new RecordingStore(HistoryPruner.BatchSize, 3, 0);
        var logger = new AwaitableLogger<HistoryPruner>();
        using var pruner = new HistoryPruner(store, Options(TimeSpan.FromDays(7)), _time, logger);

        await pruner.StartAsync(CancellationToken.None);
        var start = _time.GetUtcNow();
        Assert.Equal(start - TimeSpan.FromDays(7), await store.NextCutoffAsync());
        Assert.Equal(start - TimeSpan.FromDays(7), await store.NextCutoffAsync()); // the first batch was full
        var pruned = await logger.WaitForEventAsync(EventIds.Queue.HistoryPruned, timeout: Patience);
        Assert.Equal(HistoryPruner.BatchSize + 3, pruned["MessageCount"]);

        _time.Advance(HistoryPruner.Interval);
        Assert.Equal(start + HistoryPruner.Interval - TimeSpan.FromDays(7), await store.NextCutoffAsync());
        await pruner.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task With_history_off_what_an_earlier_run_kept_is_removed_once()
    {
        var store = new RecordingStore(2);
        using var pruner = new HistoryPruner(store, Options(TimeSpan.Zero), _time, new AwaitableLogger<HistoryPruner>());

        await pruner.StartAsync(CancellationToken.None);

        Assert.Equal(_time.GetUtcNow(), await store.NextCutoffAsync());
        await pruner.ExecuteTask!.WaitAsync(Patience);
        _time.Advance(HistoryPruner.Interval);
        Assert.False(store.Cutoffs.Reader.TryRead(out _));
    }

    private static IOptions<QueueOptions> Options(TimeSpan retention) =>
        Microsoft.Extensions.Options.Options.Create(new QueueOptions { HistoryRetention = retention });

    /// <summary>Answers each call with the next of <paramref name="batches"/> (0 once they run out) and records its cutoff.</summary>
    private sealed class RecordingStore(params int[] batches) : IHistoryPruning
    {
        private int _calls;

        public Channel<DateTimeOffset> Cutoffs { get; } = Channel.CreateUnbounded<DateTimeOffset>();

        public Task<int> PruneHistoryAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
        {
            Cutoffs.Writer.TryWrite(cutoff);
            var call = _calls++;
            return Task.FromResult(call < batches.Length ? batches[call] : 0);
        }

        public async Task<DateTimeOffset> NextCutoffAsync() => await Cutoffs.Reader.ReadAsync().AsTask().WaitAsync(Patience);
    }
}
