using RelaySigner.Feedback.Inbound;
using RelaySigner.Signing.Alignment;

namespace RelaySigner.Wiring;

/// <summary>The bounce handler's return-path domains and organisational domains, from the signing configuration.</summary>
public sealed class SigningReturnPathDirectory(ReturnPathDomains domains, PublicSuffixList suffixes) : IReturnPathDirectory
{
    public bool IsReturnPathDomain(string domain) => domains.All.Contains(domain.TrimEnd('.'), StringComparer.OrdinalIgnoreCase);

    public string? OrganisationalDomain(string domain) => domain.Length == 0 ? null : suffixes.OrganizationalDomain(domain);
}
