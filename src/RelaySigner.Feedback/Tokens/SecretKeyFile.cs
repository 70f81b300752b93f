using System.Security.Cryptography;
using Mono.Unix.Native;

namespace RelaySigner.Feedback.Tokens;

/// <summary>
/// A key of random bytes in a file of its own (the bounce secret, the unsubscribe key). The file is created when
/// missing in a way that lets several nodes start at once against a shared folder and still end with one key: each
/// writes a private temporary file, then moves it into place without overwriting; the loser of that race deletes its
/// own and reads the winner's.
/// </summary>
internal static class SecretKeyFile
{
    /// <summary>Reads the key file, creating it (mode 0600) with <paramref name="length"/> random bytes first when it
    /// does not exist.</summary>
    /// <param name="what">Names the key in an error, e.g. "a bounce secret".</param>
    /// <exception cref="InvalidOperationException">The file exists but is not a key of the right length.</exception>
    public static byte[] LoadOrCreate(string path, int length, string what)
    {
        if (!File.Exists(path))
        {
            TryCreate(path, length);
        }

        var key = File.ReadAllBytes(path);
        return key.Length == length
            ? key
            : throw new InvalidOperationException($"{path}: {what} is {length} bytes, this file has {key.Length}; delete it to have a new one made (tokens of mail already sent then stop verifying).");
    }

    private static void TryCreate(string path, int length)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(RandomNumberGenerator.GetBytes(length));
                stream.Flush(flushToDisk: true);
            }

            // link(2) fails with EEXIST when another node got there first, atomically: the winner's file is never
            // replaced, and a reader never sees a half-written key. (File.Move without overwrite checks for the
            // target and then renames, so two nodes can both pass the check and the second replace the first's key.)
            if (Syscall.link(temporary, path) != 0)
            {
                var error = Stdlib.GetLastError();
                throw new IOException($"{path}: cannot be created ({error})");
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another node (or process) created it first: its key is the key.
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
