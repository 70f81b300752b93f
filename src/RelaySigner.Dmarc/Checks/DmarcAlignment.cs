namespace RelaySigner.Dmarc.Checks;

/// <summary>
/// Identifier alignment (RFC 7489 §3.1): in relaxed mode ("r", the default) two domains are aligned when their
/// organisational domains are the same, in strict mode ("s") only when they are equal.
/// </summary>
public static class DmarcAlignment
{
    /// <param name="organizationalDomain">The Public Suffix List's organisational domain of a name (null for a public suffix).</param>
    public static bool IsAligned(string fromDomain, string authenticatedDomain, string mode, Func<string, string?> organizationalDomain)
    {
        var from = fromDomain.TrimEnd('.').ToLowerInvariant();
        var other = authenticatedDomain.TrimEnd('.').ToLowerInvariant();
        if (from == other)
        {
            return true;
        }

        return mode != "s" && organizationalDomain(from) is { } organizational && organizational == organizationalDomain(other);
    }
}
