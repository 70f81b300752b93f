using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Configuration;
using RelaySigner.Delivery;

namespace RelaySigner.Cli;

/// <summary>
/// The relay's outbound addresses, to tell its mail from other senders: <c>--relay-ip</c> when given, else
/// <c>Relay:Delivery:SourceAddresses</c> from the relay's configuration.
/// </summary>
internal static class RelaySources
{
    public const string ConfigurationKey = $"{DeliveryOptions.SectionName}:{nameof(DeliveryOptions.SourceAddresses)}";

    public static Option<string[]> CreateOption() => new("--relay-ip")
    {
        Description = $"This relay's outbound address or network (CIDR); repeatable. Default {ConfigurationKey}.",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Reads the option, or the configuration without it; an entry that is not an address or network is an error line.</summary>
    public static bool TryResolve(string[]? given, IConfiguration configuration, TextWriter errors, out List<IPNetwork> networks)
    {
        var (values, origin) = given is { Length: > 0 }
            ? (given, "--relay-ip")
            : (configuration.GetSection(ConfigurationKey).Get<string[]>() ?? [], ConfigurationKey);
        networks = [];
        foreach (var value in values)
        {
            if (!DeliveryOptions.TryParseSourceAddress(value, out var network))
            {
                errors.WriteLine($"error: {origin} '{value}' is neither an IP address nor a CIDR network");
                return false;
            }

            networks.Add(network);
        }

        return true;
    }
}
