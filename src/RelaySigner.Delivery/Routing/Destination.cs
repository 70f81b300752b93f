namespace RelaySigner.Delivery.Routing;

/// <summary>
/// A resolved route: the hosts to try, in order (MX preference order, equal preferences shuffled; or the smarthost).
/// </summary>
/// <param name="Name">What was resolved: the recipient domain, or the smarthost as configured.</param>
/// <param name="Hosts">Hosts in the order to try; each has at least one address.</param>
/// <param name="IsSmarthost">True for the configured smarthost: the only kind of destination that ever gets AUTH.</param>
public sealed record Destination(string Name, IReadOnlyList<DestinationHost> Hosts, bool IsSmarthost = false)
{
    public override string ToString() => $"{Name} -> {string.Join(", ", Hosts)}";
}
