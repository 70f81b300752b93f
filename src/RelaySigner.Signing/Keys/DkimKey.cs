using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using RelaySigner.Core.Signing;
using RelaySigner.Signing.Dkim;

namespace RelaySigner.Signing.Keys;

/// <summary>One private key that signs for <see cref="Domain"/> under <see cref="Selector"/>, set up with the domain's settings.</summary>
/// <param name="FilePath">Where the key was read from; the only way a key is ever named in logs.</param>
public sealed record DkimKey(string Domain, string Selector, DkimSignatureAlgorithm Algorithm, int Bits, string FilePath, DkimSignatureWriter Signer, AsymmetricKeyParameter PublicKey)
{
    /// <summary>The public key as its DNS record publishes it: what the published-key guard asks DNS about.</summary>
    public DkimPublicKey Published { get; } = PublicKeys.AsPublished(PublicKey);
}
