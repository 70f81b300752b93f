using RelaySigner.Signing.Keys;

namespace RelaySigner.Signing.Alignment;

/// <summary>
/// Chooses the d= for a From domain so that DKIM is aligned for DMARC (RFC 7489 §3.1.1, relaxed mode):
/// the From domain itself when it has a key, else its nearest parent with one. A top-level label alone
/// never signs.
/// </summary>
public sealed class AlignedKeyResolver(DkimKeyStore keys)
{
    /// <returns>The signing domain and its keys, or null when no aligned key exists.</returns>
    public (string Domain, IReadOnlyList<DkimKey> Keys)? Resolve(string fromDomain)
    {
        var candidate = fromDomain.TrimEnd('.').ToLowerInvariant();
        while (candidate.Contains('.'))
        {
            var found = keys.KeysFor(candidate);
            if (found.Count > 0)
            {
                return (candidate, found);
            }

            candidate = candidate[(candidate.IndexOf('.') + 1)..];
        }

        return null;
    }
}
