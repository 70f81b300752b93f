using System.Globalization;
using System.Net;

namespace RelaySigner.Delivery.Routing;

/// <summary>One host to try: its name (for TLS SNI and logs), its addresses in the order to try, and the port.</summary>
public sealed record DestinationHost(string HostName, IReadOnlyList<IPAddress> Addresses, int Port)
{
    public override string ToString() =>
        $"{HostName}[{string.Join(",", Addresses)}]:{Port.ToString(CultureInfo.InvariantCulture)}";
}
