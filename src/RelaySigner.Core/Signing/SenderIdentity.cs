using System.Net;

namespace RelaySigner.Core.Signing;

/// <summary>Who handed the message in, and which From domains that client may use.</summary>
/// <param name="ClientAddress">The client's IP address as the listener saw it.</param>
/// <param name="UserName">The AUTH user, when the client authenticated.</param>
/// <param name="AllowedFromDomains">
/// Domains (and their subdomains) this client may send as; null means any domain that has a key. This is what
/// keeps one tenant from getting a DMARC pass for another tenant's domain.
/// </param>
/// <param name="Bulk">The client or its user is marked bulk (<c>Bulk: true</c>): its mail gets a one-click unsubscribe.
/// A signing domain can mark its mail bulk as well, which the signer knows.</param>
public sealed record SenderIdentity(IPAddress? ClientAddress, string? UserName, IReadOnlyList<string>? AllowedFromDomains = null, bool Bulk = false)
{
    /// <summary>True when <paramref name="fromDomain"/> is one of the allowed domains or a subdomain of one.</summary>
    public bool MayUse(string fromDomain) =>
        AllowedFromDomains is null ||
        AllowedFromDomains.Any(allowed =>
            fromDomain.Equals(allowed, StringComparison.OrdinalIgnoreCase) ||
            fromDomain.EndsWith("." + allowed, StringComparison.OrdinalIgnoreCase));
}
