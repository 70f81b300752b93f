using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace RelaySigner.Queue;

/// <summary>
/// Opens <c>queue.db</c> the way the durability promise needs it: WAL journal, <c>synchronous=FULL</c> (a commit
/// is fsync'd before it returns), schema at <see cref="QueueSchema.Version"/>, then foreign keys on (an upgrade runs
/// without them, see <see cref="QueueSchema.Migrate"/>).
/// </summary>
internal static class QueueDatabase
{
    private const int BusyTimeoutMilliseconds = 5000;

    /// <summary>
    /// Opens the file, creating it when missing; the caller owns the returned connection. Throws when the file
    /// cannot be opened or belongs to a newer build; nothing stays open then.
    /// </summary>
    public static SqliteConnection Open(string databasePath, ILogger logger)
    {
        var connection = Connect(databasePath, SqliteOpenMode.ReadWriteCreate);
        try
        {
            var journalMode = ApplyPragmas(connection);
            var previousVersion = QueueSchema.Migrate(connection);
            using (var foreignKeys = connection.CreateCommand())
            {
                foreignKeys.CommandText = "PRAGMA foreign_keys = ON;";
                foreignKeys.ExecuteNonQuery();
            }

            if (previousVersion is > 0 and < QueueSchema.Version)
            {
                QueueLog.Upgraded(logger, databasePath, previousVersion, QueueSchema.Version);
            }

            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                QueueLog.NotWal(logger, databasePath, journalMode);
            }

            QueueLog.Opened(logger, databasePath, QueueSchema.Version, journalMode);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An open connection to the file with the settings every writing connection needs, <c>synchronous=FULL</c>
    /// (commits and checkpoints are fsync'd) and the busy timeout; no schema check. The caller owns it.
    /// </summary>
    public static SqliteConnection Connect(string databasePath, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = mode,
            // No pooling: dispose really closes the file (checkpointing and removing the WAL), so a restart
            // or a test can reopen or delete the folder.
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            // Per connection, unlike journal_mode, which is stored in the file.
            pragmas.CommandText = $"PRAGMA synchronous = FULL; PRAGMA busy_timeout = {BusyTimeoutMilliseconds};";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <returns>The journal mode in effect: SQLite answers with the mode it kept when it cannot switch to WAL.</returns>
    private static string ApplyPragmas(SqliteConnection connection)
    {
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA journal_mode = WAL;";
        var journalMode = Convert.ToString(pragmas.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "unknown";
        // The bundled SQLite turns them on by default; an upgrade must run without them.
        pragmas.CommandText = "PRAGMA foreign_keys = OFF;";
        pragmas.ExecuteNonQuery();
        return journalMode;
    }
}
