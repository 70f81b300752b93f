using RelaySigner.Core.Feedback;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Wiring;

/// <summary>
/// The sending domains are the organisational domains of the loaded signing keys: a key for
/// <c>news.example.com</c> counts for <c>example.com</c>, as the suppression list and the feedback rates do.
/// </summary>
public sealed class SigningKeyDomains(DkimKeyStore keys, PublicSuffixList suffixes) : ISendingDomains
{
    public IReadOnlyCollection<string> Current =>
        [.. keys.SigningKeys.Select(k => suffixes.OrganizationalDomain(k.Domain) ?? k.Domain.ToLowerInvariant()).Distinct(StringComparer.Ordinal)];
}
