using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Signing;
using RelaySigner.Intake.Auth;

namespace RelaySigner.Intake.Policy;

/// <summary>
/// Who may relay, and as which From domains. A client may relay when it authenticated or its IP is in
/// <c>AllowedNetworks</c> (any domain) or in a <c>Clients</c> entry (that entry's domains); everyone else is refused.
/// An authenticated client gets its user's domains, wherever it connects from. When several networks contain the
/// client, the most specific (longest prefix) decides, and on a tie the one that names domains. The same domains
/// limit the envelope sender, where a bounce goes.
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
            .. smtp.Clients.SelectMany(c => c.Networks.Select(n => new NetworkGrant(IPNetwork.Parse(n), FromDomainList.Parse(c.AllowedFromDomains), c.Bulk))),
        ];
        _users = users;
    }

    public bool MayRelay(IPAddress? client, bool authenticated) => authenticated || GrantFor(client) is not null;

    /// <summary>The From domains the client may use; null means any domain that has a key.</summary>
    public IReadOnlyList<string>? AllowedFromDomains(IPAddress? client, string? authenticatedUser) =>
        IdentityOf(client, authenticatedUser).AllowedFromDomains;

    /// <summary>
    /// The client as the signer sees it: its From domains (<see cref="AllowedFromDomains"/>) and whether its mail is
    /// bulk mail by its <c>Clients</c> entry or its AUTH user (<c>Bulk: true</c>), from one look at the configuration.
    /// </summary>
    public SenderIdentity IdentityOf(IPAddress? client, string? authenticatedUser)
    {
        if (authenticatedUser is not null)
        {
            var user = _users.Find(authenticatedUser);
            return new SenderIdentity(client, authenticatedUser, user is null ? [] : FromDomainList.Parse(user.AllowedFromDomains), user?.Bulk ?? false);
        }

        var grant = GrantFor(client);
        return new SenderIdentity(client, null, grant is null ? [] : grant.FromDomains, grant?.Bulk ?? false);
    }

    /// <summary>
    /// Whether the client may give <paramref name="sender"/> in MAIL FROM: the null sender always (it asks for no
    /// bounce, RFC 5321 §4.5.5), and otherwise an address in a domain it may use in From (or a subdomain). A client
    /// limited to some domains that could name any sender would have its failures bounced to a stranger's
    /// mailbox: backscatter. A client allowed by network with no domain list may use any sender, as before.
    /// </summary>
    /// <param name="sender">The MAIL FROM address; empty for <c>&lt;&gt;</c>.</param>
    public bool MayUseEnvelopeSender(IPAddress? client, string? authenticatedUser, string sender)
    {
        if (sender.Length == 0 || AllowedFromDomains(client, authenticatedUser) is not { } allowed)
        {
            return true;
        }

        try
        {
            // As the From domain is compared: ASCII (A-label) form, so an internationalised domain matches its configured form.
            var domain = new IdnMapping().GetAscii(sender[(sender.LastIndexOf('@') + 1)..]);
            return new SenderIdentity(client, authenticatedUser, allowed).MayUse(domain);
        }
        catch (ArgumentException)
        {
            return false; // not a domain name (an address literal): never one of the client's domains
        }
    }

    private NetworkGrant? GrantFor(IPAddress? client) =>
        client is null
            ? null
            : _grants.Where(g => g.Network.Contains(client))
                .OrderByDescending(g => g.Network.PrefixLength)
                .ThenBy(g => g.FromDomains is null)
                .FirstOrDefault();
}
