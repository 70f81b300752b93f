using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;
using RelaySigner.Core.Signing;

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

    /// <summary>A public key as its DKIM key record publishes it (k= and the bytes of p=).</summary>
    public static DkimPublicKey AsPublished(AsymmetricKeyParameter publicKey) => publicKey switch
    {
        RsaKeyParameters { IsPrivate: false } rsa => new("rsa", SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(rsa).GetEncoded()),
        Ed25519PublicKeyParameters ed => new("ed25519", ed.GetEncoded()),
        _ => AsPublished(Of(publicKey)),
    };
}
