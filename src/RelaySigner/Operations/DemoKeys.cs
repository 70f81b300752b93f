using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Operations;

/// <summary>
/// Recognises the public demo keys of <c>keys.example/</c> wherever they were copied: their private halves are
/// published with the source, so a signature made with them proves nothing. Known by the SHA-256 of their
/// SubjectPublicKeyInfo (<c>openssl pkey -in KEY -pubout -outform DER | sha256sum</c>).
/// </summary>
public static class DemoKeys
{
    public const string FolderName = "keys.example";

    private static readonly HashSet<string> Fingerprints = new(StringComparer.Ordinal)
    {
        "3aee53460ca095187a5a13d92d9b05b4e9cee10f267471468386f7e5b276287d", // example.com demo2026, rsa 2048
    };

    public static bool IsDemo(AsymmetricKeyParameter key) => Fingerprints.Contains(Fingerprint(key));

    /// <summary>The demo folder itself, or a folder holding one of its keys.</summary>
    public static bool IsDemoFolder(string keysPath)
    {
        var folder = Path.GetFullPath(keysPath);
        if (string.Equals(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), FolderName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return Directory.Exists(folder) && KeyFolder.Files(folder).Any(k => TryRead(k.Path) is { } key && IsDemo(key));
    }

    public static string Fingerprint(AsymmetricKeyParameter key) =>
        Convert.ToHexStringLower(SHA256.HashData(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(PublicKeys.Of(key)).GetEncoded()));

    private static AsymmetricKeyParameter? TryRead(string path)
    {
        try
        {
            return KeyFileReader.Read(path).Key;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
