using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace RelaySigner.Signing.Keys;

/// <summary>The DKIM key record (RFC 6376 §3.6.1) that publishes the public half of a signing key.</summary>
public static class DkimDnsRecord
{
    /// <summary>A DNS character-string holds at most 255 octets (RFC 1035 §3.3); longer TXT data is split.</summary>
    public const int MaxStringLength = 255;

    /// <summary>Where the record lives: <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.</summary>
    public static string Name(string domain, string selector) => $"{selector}._domainkey.{domain}";

    /// <summary>
    /// The record text: RSA publishes the SubjectPublicKeyInfo (k=rsa), Ed25519 the raw 32-byte key (k=ed25519, RFC 8463 §4).
    /// </summary>
    public static string Value(AsymmetricKeyParameter privateKey)
    {
        var published = PublicKeys.AsPublished(PublicKeys.Of(privateKey));
        return $"v=DKIM1; k={published.KeyType}; p={Convert.ToBase64String(published.Data)}";
    }

    /// <summary>A zone-file line, the value split into quoted strings of at most 255 octets.</summary>
    public static string ZoneLine(string domain, string selector, string value)
    {
        var strings = value.Chunk(MaxStringLength).Select(chunk => $"\"{new string(chunk)}\"");
        return $"{Name(domain, selector)}. 3600 IN TXT ( {string.Join(' ', strings)} )";
    }

    public static string AlgorithmName(DkimSignatureAlgorithm algorithm) =>
        algorithm == DkimSignatureAlgorithm.Ed25519Sha256 ? "ed25519" : "rsa";
}
