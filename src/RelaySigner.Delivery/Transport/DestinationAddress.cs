using System.Globalization;
using System.Net;
using RelaySigner.Delivery.Routing;

namespace RelaySigner.Delivery.Transport;

/// <summary>
/// One address of one route host: what a single SMTP session talks to, and what the logs show as
/// <c>relay=host[ip]:port</c>.
/// </summary>
internal sealed record DestinationAddress(string Host, IPAddress Address, int Port)
{
    public string Ip { get; } = Address.ToString();

    /// <summary>Every address of every host of <paramref name="route"/>, in the order to try them.</summary>
    public static IEnumerable<DestinationAddress> InRouteOrder(Destination route) =>
        route.Hosts.SelectMany(host => host.Addresses.Select(address => new DestinationAddress(host.HostName, address, host.Port)));

    public override string ToString() =>
        $"{Host}[{Ip}]:{Port.ToString(CultureInfo.InvariantCulture)}";
}
