namespace RelaySigner.Core;

/// <summary>
/// Folders (0700) and files (0600) that only the relay's user may open: private keys, the queue with its message
/// bodies. The mode given at creation is narrowed by the process's umask, so it is set again explicitly after.
/// On Windows (ACLs, not permission bits) nothing is changed.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode FolderPermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FilePermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> and its missing parents as 0700; folders that exist are left as they are.</summary>
    public static void CreateFolder(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return;
        }

        if (Path.GetDirectoryName(full) is { } parent)
        {
            CreateFolder(parent);
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
            return;
        }

        Directory.CreateDirectory(full, FolderPermissions);
        File.SetUnixFileMode(full, FolderPermissions);
    }

    /// <summary>Sets <paramref name="path"/> to 0600 when it exists and is not so already.</summary>
    /// <returns>True when the mode was changed.</returns>
    public static bool RestrictFile(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path) || File.GetUnixFileMode(path) == FilePermissions)
        {
            return false;
        }

        File.SetUnixFileMode(path, FilePermissions);
        return true;
    }

    /// <summary>
    /// Options that create a missing file as 0600 (narrowed further by the umask only; <see cref="RestrictFile"/>
    /// after, for exactly 0600).
    /// </summary>
    public static FileStreamOptions FileOptions(FileMode mode, FileAccess access, FileShare share = FileShare.Read)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FilePermissions;
        }

        return options;
    }
}
