using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace RelaySigner.Signing.Dkim;

/// <summary>ed25519-sha256 (RFC 8463 §3): PureEdDSA over the SHA-256 hash, through BouncyCastle (the platform has no Ed25519).</summary>
public sealed class Ed25519SigningKey(Ed25519PrivateKeyParameters key) : DkimSigningKey
{
    public override string AlgorithmTag => "ed25519-sha256";

    public override DkimSignatureAlgorithm Algorithm => DkimSignatureAlgorithm.Ed25519Sha256;

    public override byte[] SignHash(byte[] sha256)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        signer.BlockUpdate(sha256, 0, sha256.Length);
        return signer.GenerateSignature();
    }
}
