using MimeKit.Cryptography;

namespace RelaySigner.Signing.Dkim;

/// <summary>A private key that signs the SHA-256 hash of a DKIM signature's data.</summary>
public abstract class DkimSigningKey
{
    /// <summary>The a= tag value.</summary>
    public abstract string AlgorithmTag { get; }

    public abstract DkimSignatureAlgorithm Algorithm { get; }

    public abstract byte[] SignHash(byte[] sha256);
}
