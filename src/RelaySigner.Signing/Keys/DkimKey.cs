using MimeKit.Cryptography;
using RelaySigner.Signing.Dkim;
using Org.BouncyCastle.Crypto;

namespace RelaySigner.Signing.Keys;

/// <summary>One private key that signs for <see cref="Domain"/> under <see cref="Selector"/>, set up with the domain's settings.</summary>
/// <param name="FilePath">Where the key was read from; the only way a key is ever named in logs.</param>
public sealed record DkimKey(string Domain, string Selector, DkimSignatureAlgorithm Algorithm, int Bits, string FilePath, DkimSignatureWriter Signer, AsymmetricKeyParameter PublicKey);
