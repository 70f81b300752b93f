using RelaySigner.Core;

namespace RelaySigner.Queue;

/// <summary>
/// An exclusive lock on the queue folder (<c>queue.lock</c>) held for the life of the process's queue. The embedded
/// store is single-node: with the lock, every lease found in the file at start belongs to a run that is over, so the
/// store may release them at once instead of waiting out <c>LeaseDuration</c>. A second relay on the same folder is
/// refused at start rather than allowed to deliver the same messages.
/// </summary>
/// <remarks>
/// .NET takes <c>FileShare.None</c> on Unix as an advisory <c>flock(LOCK_EX)</c>; the kernel drops it when the
/// process dies, kill -9 included, so a crashed relay never blocks its own restart.
/// </remarks>
internal sealed class QueueFolderLock : IDisposable
{
    public const string FileName = "queue.lock";

    private readonly FileStream _file;

    private QueueFolderLock(FileStream file) => _file = file;

    /// <exception cref="InvalidOperationException">Another process (or another queue in this one) holds the lock.</exception>
    public static QueueFolderLock Acquire(string folder)
    {
        var path = Path.Combine(folder, FileName);
        try
        {
            var file = new FileStream(path, OwnerOnly.FileOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            OwnerOnly.RestrictFile(path);
            return new QueueFolderLock(file);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"The queue in {folder} is in use by another relay ({path} is locked); one queue folder per relay.", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
