using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace RelaySigner.Signing.Keys;

public static class PublicKeys
{
    /// <summary>The public half of an RSA or Ed25519 private key, to compare with what DNS publishes.</summary>
    public static AsymmetricKeyParameter Of(AsymmetricKeyParameter privateKey) => privateKey switch
    {
        RsaKeyParameters rsa when rsa.IsPrivate && rsa is RsaPrivateCrtKeyParameters crt => new RsaKeyParameters(false, crt.Modulus, crt.PublicExponent),
        Ed25519PrivateKeyParameters ed => ed.GeneratePublicKey(),
        { IsPrivate: false } => privateKey,
        _ => throw new ArgumentException($"cannot derive a public key from {privateKey.GetType().Name}", nameof(privateKey)),
    };
}
