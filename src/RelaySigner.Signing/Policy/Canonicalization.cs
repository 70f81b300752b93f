using MimeKit.Cryptography;

namespace RelaySigner.Signing.Policy;

/// <summary>The <c>c=</c> tag: header and body canonicalization (RFC 6376 §3.4).</summary>
public sealed record Canonicalization(DkimCanonicalizationAlgorithm Header, DkimCanonicalizationAlgorithm Body)
{
    public static readonly Canonicalization RelaxedRelaxed = new(DkimCanonicalizationAlgorithm.Relaxed, DkimCanonicalizationAlgorithm.Relaxed);

    /// <summary>
    /// Parses <c>header/body</c>; a single word is the header algorithm with a simple body, as in the c= tag itself.
    /// </summary>
    /// <returns>null when a part is neither relaxed nor simple.</returns>
    public static Canonicalization? Parse(string value)
    {
        var parts = value.Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length > 2 || Algorithm(parts[0]) is not { } header)
        {
            return null;
        }

        var body = parts.Length == 2 ? Algorithm(parts[1]) : DkimCanonicalizationAlgorithm.Simple;
        return body is null ? null : new Canonicalization(header, body.Value);
    }

    private static DkimCanonicalizationAlgorithm? Algorithm(string name) => name.ToLowerInvariant() switch
    {
        "relaxed" => DkimCanonicalizationAlgorithm.Relaxed,
        "simple" => DkimCanonicalizationAlgorithm.Simple,
        _ => null,
    };
}
