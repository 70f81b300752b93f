using Microsoft.Data.Sqlite;

namespace RelaySigner.Queue;

/// <summary>
/// For readiness: proves the writer loop runs and the file takes a write (the write lock is taken, a page is
/// changed), then undoes it in a nested savepoint, so nothing is ever committed by a probe.
/// </summary>
internal static class WriteProbeSql
{
    public static bool Execute(SqliteTransaction tx)
    {
        using var command = tx.CreateCommand(
            "SAVEPOINT probe; " +
            "INSERT INTO messages (id, sender, received_at, next_attempt_at, size, content_id) VALUES ('probe', '', 0, 0, 0, 0); " +
            "ROLLBACK TO probe; RELEASE probe;");
        command.ExecuteNonQuery();
        return true;
    }
}
