using Microsoft.Data.Sqlite;

namespace RelaySigner.Queue;

/// <summary>
/// Releases every lease in the file, making the leased messages due at once. Only safe while holding the
/// <see cref="QueueFolderLock"/>: then no live worker holds any of them. The token moves on, so a report from the
/// run that held a lease could not be recorded even if it arrived.
/// </summary>
internal static class ReleaseLeasesSql
{
    /// <summary>Finds the leased messages through <c>ix_messages_leased</c>, so opening a large queue reads no other row.</summary>
    internal const string Sql =
        "UPDATE messages SET lease_until = NULL, lease_token = lease_token + 1 WHERE lease_until IS NOT NULL";

    /// <returns>How many leases were released.</returns>
    public static int Execute(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        return command.ExecuteNonQuery();
    }
}
