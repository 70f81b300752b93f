using RelaySigner.Core.Delivery;

namespace RelaySigner.Delivery.Transport;

/// <summary>One node: its own per-destination limiter (<see cref="DestinationLimits"/>) is the whole count.</summary>
public sealed class LocalDestinationSlots : IDestinationSlots
{
    public ValueTask<IAsyncDisposable> AcquireAsync(string destination, int limit, TimeSpan keepIdle, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IAsyncDisposable>(NoSlot.Instance);

    private sealed class NoSlot : IAsyncDisposable
    {
        public static readonly NoSlot Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
