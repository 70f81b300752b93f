using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;

namespace RelaySigner.Signing.Keys;

/// <summary>
/// Reads one PEM private key (PKCS#1 or PKCS#8; RSA or Ed25519). Errors name the file, never its content.
/// </summary>
public static class KeyFileReader
{
    /// <summary>RSA keys shorter than this are refused: 1024-bit keys are factorable and receivers discount them.</summary>
    public const int MinimumRsaBits = 2048;

    /// <exception cref="InvalidDataException">The file is unreadable, holds no private key, or an unusable one.</exception>
    public static PrivateKeyFile Read(string path)
    {
        object? pem;
        try
        {
            using var reader = new StreamReader(path);
            pem = new PemReader(reader).ReadObject();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PemException or InvalidCastException or ArgumentException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a readable PEM private key ({ex.GetType().Name})");
        }

        var key = pem switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter { IsPrivate: true } single => single,
            _ => throw new InvalidDataException($"{path}: no private key found in the PEM file"),
        };

        return key switch
        {
            RsaKeyParameters rsa when rsa.Modulus.BitLength < MinimumRsaBits =>
                throw new InvalidDataException($"{path}: RSA key has {rsa.Modulus.BitLength} bits; at least {MinimumRsaBits} are required"),
            RsaKeyParameters rsa => new PrivateKeyFile(path, key, DkimSignatureAlgorithm.RsaSha256, rsa.Modulus.BitLength),
            Ed25519PrivateKeyParameters => new PrivateKeyFile(path, key, DkimSignatureAlgorithm.Ed25519Sha256, 256),
            _ => throw new InvalidDataException($"{path}: unsupported key type {key.GetType().Name}; use RSA or Ed25519"),
        };
    }
}
