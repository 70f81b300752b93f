using System.Runtime.Versioning;
using Mono.Unix.Native;

namespace RelaySigner.Signing.Keys;

/// <summary>
/// The permission bits and the owner of a file or folder, and the relay's own user id. .NET exposes the mode
/// (<see cref="File.GetUnixFileMode(string)"/>) but not the owner, so both come from <c>stat(2)</c> through Mono.Unix
/// (which the report reader uses for file types too).
/// </summary>
internal sealed record UnixFileStatus(UnixFileMode Mode, uint? OwnerId)
{
    /// <summary>The effective user id of this process; null where it is not known.</summary>
    public static uint? RelayUserId { get; } = OwnUserId();

    /// <summary>Follows symbolic links, as opening the file does. Where the owner cannot be asked, it is null.</summary>
    /// <exception cref="IOException">The path cannot be examined.</exception>
    [UnsupportedOSPlatform("windows")]
    public static UnixFileStatus Of(string path)
    {
        if (RelayUserId is null)
        {
            return new UnixFileStatus(File.GetUnixFileMode(path), null);
        }

        if (Syscall.stat(path, out var status) != 0)
        {
            throw new IOException($"{path}: cannot be examined ({Stdlib.GetLastError()})");
        }

        return new UnixFileStatus((UnixFileMode)((uint)status.st_mode & 0xFFF), status.st_uid);
    }

    private static uint? OwnUserId()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return Syscall.geteuid();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            // Mono.Unix's native helper is not there for this platform: the permission bits are still checked.
            return null;
        }
    }
}
