using MimeKit.Cryptography;

namespace RelaySigner.Signing.Keys;

/// <summary>One private key that signs for <see cref="Domain"/> under <see cref="Selector"/>.</summary>
/// <param name="FilePath">Where the key was read from; the only way a key is ever named in logs.</param>
public sealed record DkimKey(string Domain, string Selector, DkimSignatureAlgorithm Algorithm, string FilePath, DkimSigner Signer);
