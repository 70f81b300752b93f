using System.Security.Cryptography;
using System.Text;
using RelaySigner.Core;

namespace RelaySigner.Admin.Auth;

/// <summary>
/// The bearer token of <c>Relay:Admin:TokenPath</c>: the file's first line, read at start. A missing file is made
/// with a random token (mode 0600, created exclusively, so a second process never overwrites it) that the operator
/// reads from there, which lets a container or a fresh install protect its listener without a secret in its image.
/// </summary>
public sealed class AdminToken
{
    /// <summary>Shorter tokens could be guessed within the login throttle's allowance over a long time.</summary>
    public const int MinimumLength = 20;

    private byte[]? _hash;

    public bool IsConfigured => _hash is not null;

    /// <summary>What keeps the file from being a token, or null when it is usable (or missing, and will be made).</summary>
    public static string? Problem(string path)
    {
        if (!File.Exists(path))
        {
            return Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path))) ? null : $"{path} does not exist and its folder neither";
        }

        try
        {
            return Read(path).Length >= MinimumLength ? null : $"{path} must hold a token of at least {MinimumLength} characters on its first line";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{path} cannot be read ({ex.Message})";
        }
    }

    /// <summary>Reads the token file, making it first when it is missing.</summary>
    /// <returns>True when the file was made now.</returns>
    public bool Load(string path)
    {
        var created = TryCreate(path);
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(Read(path)));
        return created;
    }

    /// <summary>Compares in constant time: both sides are hashed first, so neither length nor content leaks by timing.</summary>
    public bool Matches(string presented) =>
        _hash is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _hash);

    private static string Read(string path)
    {
        using var reader = new StreamReader(path);
        return (reader.ReadLine() ?? string.Empty).Trim();
    }

    private static bool TryCreate(string path)
    {
        try
        {
            // CreateNew is open(O_CREAT | O_EXCL): of two processes starting at once, one makes it, the other reads it.
            using var file = new FileStream(path, OwnerOnly.FileOptions(FileMode.CreateNew, FileAccess.Write, FileShare.None));
            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n"));
            file.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }

        OwnerOnly.RestrictFile(path);
        return true;
    }
}
