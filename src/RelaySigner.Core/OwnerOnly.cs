namespace RelaySigner.Core;

/// <summary>
/// Folders (0700) and files (0600) that only the relay's user may open: private keys, the queue with its message
/// bodies. The mode given at creation is narrowed by the process's umask, so it is set again explicitly after.
/// On Windows (ACLs, not permission bits) nothing is changed.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

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

        Directory.CreateDirectory(full, FolderMode);
        File.SetUnixFileMode(full, FolderMode);
    }

    /// <summary>Sets <paramref name="path"/> to 0600 when it exists and is not so already.</summary>
    public static void RestrictFile(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path) && File.GetUnixFileMode(path) != FileMode)
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }
}
