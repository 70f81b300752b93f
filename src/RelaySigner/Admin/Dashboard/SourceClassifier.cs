using System.Net;
using RelaySigner.Delivery;
using RelaySigner.Dmarc;

namespace RelaySigner.Admin.Dashboard;

/// <summary>Tells this relay's addresses, the configured other senders and unknown sources apart.</summary>
public sealed class SourceClassifier
{
    private readonly IReadOnlyList<IPNetwork> _relay;
    private readonly IReadOnlyList<(string Name, IPNetwork Network)> _known;

    public SourceClassifier(DeliveryOptions delivery, DmarcOptions dmarc)
    {
        _relay = [.. delivery.SourceAddresses.Select(Parse).OfType<IPNetwork>()];
        _known = [.. dmarc.KnownSources.SelectMany(s => s.Networks.Select(Parse).OfType<IPNetwork>().Select(n => (s.Name, n)))];
    }

    public (SourceKind Kind, string? Name) Classify(IPAddress address)
    {
        var ip = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (_relay.Any(n => n.Contains(ip)))
        {
            return (SourceKind.Relay, "this relay");
        }

        foreach (var (name, network) in _known)
        {
            if (network.Contains(ip))
            {
                return (SourceKind.Known, name);
            }
        }

        return (SourceKind.Unknown, null);
    }

    private static IPNetwork? Parse(string value) => DeliveryOptions.TryParseSourceAddress(value, out var network) ? network : null;
}
