using System.CommandLine;
using System.Net;

namespace RelaySigner.Cli;

/// <summary>The <c>--relay-ip</c> option: this relay's outbound addresses, to tell its mail from unknown senders.</summary>
internal static class RelaySources
{
    public static Option<string[]> CreateOption() => new("--relay-ip")
    {
        Description = "This relay's outbound address or network (CIDR); repeatable. Other sources are flagged as unknown.",
        AllowMultipleArgumentsPerToken = true,
    };

    public static bool TryParse(string[]? values, out List<IPNetwork> networks)
    {
        networks = [];
        foreach (var value in values ?? [])
        {
            if (!TryParseNetwork(value, out var network))
            {
                Console.Error.WriteLine($"error: --relay-ip '{value}' is neither an IP address nor a CIDR network");
                return false;
            }

            networks.Add(network);
        }

        return true;
    }

    /// <summary>A CIDR network, or a single address as its own /32 or /128.</summary>
    private static bool TryParseNetwork(string value, out IPNetwork network)
    {
        if (IPAddress.TryParse(value, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(value, out network);
    }
}
