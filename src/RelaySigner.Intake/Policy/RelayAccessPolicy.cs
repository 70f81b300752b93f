using System.Net;
using Microsoft.Extensions.Options;

namespace RelaySigner.Intake.Policy;

/// <summary>Who may relay: clients from an allowed network, or authenticated clients. Everyone else is refused.</summary>
public sealed class RelayAccessPolicy(IOptions<SmtpOptions> options)
{
    private readonly IReadOnlyList<IPNetwork> _allowedNetworks = options.Value.ParseAllowedNetworks();

    public bool MayRelay(IPAddress? client, bool authenticated) =>
        authenticated || (client is not null && _allowedNetworks.Any(network => network.Contains(client)));
}
