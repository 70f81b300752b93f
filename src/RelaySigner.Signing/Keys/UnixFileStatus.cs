using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace RelaySigner.Signing.Keys;

/// <summary>
/// The permission bits and the owner of a file or folder, and the relay's own user id. .NET exposes the mode
/// (<see cref="File.GetUnixFileMode(string)"/>) but not the owner, so on Linux both come from <c>statx(2)</c>,
/// whose result layout is the same on every architecture (unlike <c>struct stat</c>).
/// </summary>
internal sealed record UnixFileStatus(UnixFileMode Mode, uint? OwnerId)
{
    private const int CurrentFolder = -100; // AT_FDCWD: a relative path is resolved against the working folder
    private const uint ModeAndOwner = 0x2 | 0x8; // STATX_MODE | STATX_UID
    private const int StatxSize = 256;
    private const int OwnerOffset = 20; // stx_uid
    private const int ModeOffset = 28; // stx_mode

    /// <summary>The effective user id of this process; null where it is not known.</summary>
    public static uint? RelayUserId { get; } = OwnUserId();

    /// <summary>Follows symbolic links, as opening the file does. Where statx is not there (not Linux), the owner is null.</summary>
    /// <exception cref="IOException">The path cannot be examined.</exception>
    [UnsupportedOSPlatform("windows")]
    public static UnixFileStatus Of(string path)
    {
        if (RelayUserId is null)
        {
            return new UnixFileStatus(File.GetUnixFileMode(path), null);
        }

        var buffer = new byte[StatxSize];
        int result;
        try
        {
            result = statx(CurrentFolder, path, 0, ModeAndOwner, buffer);
        }
        catch (EntryPointNotFoundException)
        {
            // A C library older than statx (glibc < 2.28, musl < 1.2.5): the permission bits are still checked.
            return new UnixFileStatus(File.GetUnixFileMode(path), null);
        }

        if (result != 0)
        {
            throw new IOException($"{path}: cannot be examined (errno {Marshal.GetLastPInvokeError()})");
        }

        var mode = (UnixFileMode)(BitConverter.ToUInt16(buffer, ModeOffset) & 0xFFF);
        return new UnixFileStatus(mode, BitConverter.ToUInt32(buffer, OwnerOffset));
    }

    private static uint? OwnUserId()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return geteuid();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc")]
    private static extern uint geteuid();
}
