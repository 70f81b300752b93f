using RelaySigner.Signing.Keys;

namespace RelaySigner.Signing.Alignment;

/// <summary>
/// Chooses the d= for a From domain so that DKIM is aligned for DMARC (RFC 7489 §3.1.1, relaxed mode): the From
/// domain itself when it has a key, else its nearest parent with one — but never above the organisational domain
/// (Public Suffix List), so <c>example.co.uk</c> can never fall back to a key for <c>co.uk</c>.
/// </summary>
public sealed class AlignedKeyResolver(DkimKeyStore keys, PublicSuffixList suffixes)
{
    /// <summary>The organisational domain of a From domain; null for a public suffix.</summary>
    public string? OrganizationalDomain(string fromDomain) => suffixes.OrganizationalDomain(fromDomain.TrimEnd('.').ToLowerInvariant());

    /// <param name="organizational">The From domain's <see cref="OrganizationalDomain"/>, when the caller has it already.</param>
    /// <returns>The signing domain with its keys, or null when no aligned key exists.</returns>
    public SigningDomain? Resolve(string fromDomain, string? organizational = null) =>
        AlignedDomains(fromDomain, organizational).Select(keys.Find).FirstOrDefault(found => found is not null);

    /// <summary>
    /// True when the From domain, or a parent up to its organisational domain, is configured to relay mail that
    /// has no aligned key unsigned (<see cref="DkimDomainOptions.RelayUnsigned"/>).
    /// </summary>
    public bool MayRelayUnsigned(string fromDomain, string? organizational = null) => SettingsFor(fromDomain, organizational)?.RelayUnsigned ?? false;

    /// <summary>The settings of the From domain or, failing those, of its nearest configured parent up to its
    /// organisational domain; null when none is configured.</summary>
    public DkimDomainOptions? SettingsFor(string fromDomain, string? organizational = null) =>
        AlignedDomains(fromDomain, organizational).Select(keys.SettingsOf).FirstOrDefault(s => s is not null);

    /// <summary>Whether any domain is configured as bulk (<see cref="DkimDomainOptions.Bulk"/>).</summary>
    public bool HasBulkDomains => keys.HasBulkDomains;

    /// <summary>The From domain and its parents down to the organisational domain, nearest first; none for a public suffix.</summary>
    private IEnumerable<string> AlignedDomains(string fromDomain, string? organizational)
    {
        var candidate = fromDomain.TrimEnd('.').ToLowerInvariant();
        organizational ??= suffixes.OrganizationalDomain(candidate);
        if (organizational is null)
        {
            yield break;
        }

        while (true)
        {
            yield return candidate;
            if (candidate.Length <= organizational.Length)
            {
                yield break;
            }

            candidate = candidate[(candidate.IndexOf('.') + 1)..];
        }
    }
}
