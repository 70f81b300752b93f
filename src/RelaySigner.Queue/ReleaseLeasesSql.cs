using Microsoft.Data.Sqlite;

namespace RelaySigner.Queue;

/// <summary>
/// Releases every lease in the file, making the leased messages due at once. Only safe while holding the
/// <see cref="QueueFolderLock"/>: then no live worker holds any of them. A report from the run that held a lease
/// could not be recorded even if it arrived: its token is gone, and the next claim takes a new one.
/// </summary>
internal static class ReleaseLeasesSql
{
    /// <summary>Leases are rows of their own, so opening a large queue reads no message.</summary>
    internal const string Sql = "DELETE FROM leases";

    /// <returns>How many leases were released.</returns>
    public static int Execute(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        return command.ExecuteNonQuery();
    }
}
