using System.Globalization;

namespace RelaySigner.Signing.Keys;

/// <summary>
/// Whether a private key can be trusted to be the operator's, as OpenDKIM's <c>RequireSafeKeys</c>: a key file, its
/// domain folder or the key folder that group or others can write, or that a user other than the relay's and root
/// owns, is refused. Whoever can write or own one of them can swap the key, or read it after a chmod. A key file
/// that group or others can only read is warned about and loaded: git checks files out 0644, so the demo keys of a
/// fresh clone would otherwise not load.
/// </summary>
public static class KeyFileSafety
{
    private const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    private const UnixFileMode ReadableByOthers = UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const uint Root = 0;

    /// <returns>A warning when group or others can read <paramref name="keyFile"/> (it may still be used); else null.</returns>
    /// <exception cref="InvalidDataException">The key is unsafe; the message names the key, the path at fault and the fix.</exception>
    public static string? Check(string keysPath, string keyFile) => Check(keysPath, keyFile, UnixFileStatus.RelayUserId);

    /// <param name="relayUserId">The user the relay runs as (a test pretends another one).</param>
    internal static string? Check(string keysPath, string keyFile, uint? relayUserId)
    {
        if (OperatingSystem.IsWindows())
        {
            return null; // ACLs, not permission bits: nothing to check here.
        }

        UnixFileStatus file;
        try
        {
            EnsureSafe(keyFile, keysPath, UnixFileStatus.Of(keysPath), relayUserId);
            EnsureSafe(keyFile, Path.GetDirectoryName(keyFile)!, UnixFileStatus.Of(Path.GetDirectoryName(keyFile)!), relayUserId);
            file = UnixFileStatus.Of(keyFile);
            EnsureSafe(keyFile, keyFile, file, relayUserId);
        }
        catch (IOException ex)
        {
            throw new InvalidDataException($"{keyFile}: refused: {ex.Message}");
        }

        return (file.Mode & ReadableByOthers) != 0
            ? $"{keyFile} can be read by other users (mode {Octal(file.Mode)}); fix: chmod 600 {keyFile}"
            : null;
    }

    private static void EnsureSafe(string keyFile, string path, UnixFileStatus status, uint? relayUserId)
    {
        if ((status.Mode & WritableByOthers) != 0)
        {
            throw new InvalidDataException(
                $"{keyFile}: refused, {path} can be written by other users (mode {Octal(status.Mode)}); fix: chmod go-w {path}");
        }

        if (status.OwnerId is { } owner && owner != Root && owner != relayUserId)
        {
            throw new InvalidDataException(
                $"{keyFile}: refused, {path} is owned by uid {owner}, neither the relay's user (uid {relayUserId}) nor root; fix: chown {relayUserId} {path}");
        }
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8).PadLeft(3, '0');
}
