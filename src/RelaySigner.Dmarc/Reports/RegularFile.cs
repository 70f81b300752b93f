using Microsoft.Win32.SafeHandles;
using Mono.Unix;
using Mono.Unix.Native;

namespace RelaySigner.Dmarc.Reports;

/// <summary>
/// Opens a report file only if it is a regular file. .NET has no public way to ask a file's type, opening a FIFO
/// blocks until something writes to it, and a device such as /dev/zero never ends. So the file is opened
/// non-blocking (a FIFO then opens at once) and the type is asked of the open descriptor (fstat): what is checked is
/// what is read, with no gap in which the path could be swapped.
/// </summary>
public static class RegularFile
{
    /// <exception cref="InvalidReportException">No such file, not readable, or not a regular file (the message names it).</exception>
    public static (FileStream Stream, long Length) OpenRead(string path)
    {
        var fd = Syscall.open(path, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_NOCTTY | OpenFlags.O_CLOEXEC);
        if (fd < 0)
        {
            var error = Stdlib.GetLastError();
            throw new InvalidReportException(error == Errno.ENOENT ? $"{path}: no such file" : $"{path}: cannot be opened ({UnixMarshal.GetErrorDescription(error)})");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Syscall.fstat(fd, out var status) != 0 || (status.st_mode & FilePermissions.S_IFMT) != FilePermissions.S_IFREG)
        {
            handle.Dispose();
            throw new InvalidReportException($"{path}: {Kind(status.st_mode & FilePermissions.S_IFMT)}, not a regular file; refusing it");
        }

        return (new FileStream(handle, FileAccess.Read), status.st_size);
    }

    private static string Kind(FilePermissions type) => type switch
    {
        FilePermissions.S_IFDIR => "a folder",
        FilePermissions.S_IFIFO => "a FIFO",
        FilePermissions.S_IFCHR or FilePermissions.S_IFBLK => "a device",
        FilePermissions.S_IFSOCK => "a socket",
        _ => "not a file",
    };
}
