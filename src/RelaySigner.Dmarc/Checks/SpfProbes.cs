using System.Net;

namespace RelaySigner.Dmarc.Checks;

/// <summary>Where SPF is asked about the relay's outbound sources.</summary>
public static class SpfProbes
{
    /// <summary>
    /// The addresses SPF must authorise for one of the relay's sources: the address, or a network's first and last
    /// address. An SPF ip4/ip6 term is itself a network, so a record that covers both ends covers the range unless it
    /// is split into pieces with a gap, which this does not see.
    /// </summary>
    public static IEnumerable<IPAddress> Of(IPNetwork network)
    {
        var last = network.BaseAddress.GetAddressBytes();
        if (network.PrefixLength == last.Length * 8)
        {
            return [network.BaseAddress];
        }

        for (var bit = network.PrefixLength; bit < last.Length * 8; bit++)
        {
            last[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        return [network.BaseAddress, new IPAddress(last)];
    }
}
