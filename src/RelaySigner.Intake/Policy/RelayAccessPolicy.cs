using System.Net;
using Microsoft.Extensions.Options;
using RelaySigner.Intake.Auth;

namespace RelaySigner.Intake.Policy;

/// <summary>
/// Who may relay, and as which From domains. A client may relay when it authenticated or its IP is in
/// <c>AllowedNetworks</c> (any domain) or in a <c>Clients</c> entry (that entry's domains); everyone else is refused.
/// An authenticated client gets its user's domains, wherever it connects from. When several networks contain the
/// client, the most specific (longest prefix) decides, and on a tie the one that names domains.
/// </summary>
public sealed class RelayAccessPolicy
{
    private readonly IReadOnlyList<NetworkGrant> _grants;
    private readonly UserDirectory _users;

    public RelayAccessPolicy(IOptions<SmtpOptions> options, UserDirectory users)
    {
        var smtp = options.Value;
        _grants =
        [
            .. smtp.ParseAllowedNetworks().Select(network => new NetworkGrant(network, null)),
            .. smtp.Clients.SelectMany(c => c.Networks.Select(n => new NetworkGrant(IPNetwork.Parse(n), FromDomainList.Parse(c.AllowedFromDomains)))),
        ];
        _users = users;
    }

    public bool MayRelay(IPAddress? client, bool authenticated) => authenticated || GrantFor(client) is not null;

    /// <summary>The From domains the client may use; null means any domain that has a key.</summary>
    public IReadOnlyList<string>? AllowedFromDomains(IPAddress? client, string? authenticatedUser)
    {
        if (authenticatedUser is not null)
        {
            return _users.Find(authenticatedUser) is { } user ? FromDomainList.Parse(user.AllowedFromDomains) : [];
        }

        return GrantFor(client) is { } grant ? grant.FromDomains : [];
    }

    private NetworkGrant? GrantFor(IPAddress? client) =>
        client is null
            ? null
            : _grants.Where(g => g.Network.Contains(client))
                .OrderByDescending(g => g.Network.PrefixLength)
                .ThenBy(g => g.FromDomains is null)
                .FirstOrDefault();
}
