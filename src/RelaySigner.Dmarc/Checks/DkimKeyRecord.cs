namespace RelaySigner.Dmarc.Checks;

/// <summary>The tags of a DKIM key record (RFC 6376 §3.6.1) that the checks look at.</summary>
/// <param name="KeyType">k=: "rsa" (the default) or "ed25519".</param>
/// <param name="PublicKey">p=: base64 of the key; empty means the key was revoked.</param>
/// <param name="Flags">t=: "y" marks a domain testing DKIM, "s" forbids subdomains in i=.</param>
public sealed record DkimKeyRecord(string? Version, string KeyType, string PublicKey, IReadOnlyList<string> Flags)
{
    public static DkimKeyRecord Parse(string text)
    {
        var tags = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(tag => tag.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0].Trim().ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.First()[1].Trim());
        return new DkimKeyRecord(
            tags.GetValueOrDefault("v"),
            tags.GetValueOrDefault("k")?.ToLowerInvariant() ?? "rsa",
            string.Concat((tags.GetValueOrDefault("p") ?? string.Empty).Where(c => !char.IsWhiteSpace(c))),
            (tags.GetValueOrDefault("t") ?? string.Empty).Split(':', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
    }
}
