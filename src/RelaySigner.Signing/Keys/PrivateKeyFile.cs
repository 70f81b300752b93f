using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace RelaySigner.Signing.Keys;

/// <summary>A private key as read from one PEM file.</summary>
/// <param name="Bits">Modulus length for RSA; 256 for Ed25519.</param>
public sealed record PrivateKeyFile(string Path, AsymmetricKeyParameter Key, DkimSignatureAlgorithm Algorithm, int Bits);
