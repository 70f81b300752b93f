using System.Collections.Concurrent;
using RelaySigner.Core.Delivery;

namespace RelaySigner.Delivery.Transport;

/// <summary>One node: a <see cref="MessageRateGate"/> per destination in memory is the whole count.</summary>
public sealed class LocalDestinationRate(TimeProvider time) : IDestinationRate
{
    private readonly ConcurrentDictionary<string, MessageRateGate> _gates = new(StringComparer.Ordinal);

    public Task WaitTurnAsync(string destination, TimeSpan interval, CancellationToken cancellationToken) =>
        _gates.GetOrAdd(destination, _ => new MessageRateGate(interval, time)).WaitTurnAsync(cancellationToken);
}
