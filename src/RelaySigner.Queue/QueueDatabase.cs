using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using RelaySigner.Core;

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
        if (!File.Exists(databasePath))
        {
            // SQLite would create the file 0644 (less the umask), and the WAL and shared-memory files with the
            // file's mode: created 0600 here, all three hold message bodies for the relay's user only. SQLite takes
            // an empty file for a new database.
            using (new FileStream(databasePath, OwnerOnly.FileOptions(FileMode.CreateNew, FileAccess.Write)))
            {
            }

            OwnerOnly.RestrictFile(databasePath);
        }

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
    /// Sets the queue's files, a database file of an older build included, to 0600; returns those that were not.
    /// </summary>
    public static IReadOnlyList<string> RestrictToOwner(string databasePath) =>
        [.. new[] { databasePath, databasePath + "-wal", databasePath + "-shm" }.Where(OwnerOnly.RestrictFile)];

    /// <summary>
    /// An open connection to the file with the settings every writing connection needs, <c>synchronous=FULL</c>
    /// (commits and checkpoints are fsync'd), the busy timeout and <c>secure_delete</c>; no schema check. The
    /// caller owns it.
    /// </summary>
    /// <remarks>
    /// <c>secure_delete=ON</c>: a removed message's pages are overwritten with zeros, so a delivered body does not
    /// stay readable in the file's free pages (nor, once the WAL starts over, see <c>journal_size_limit</c>, in the
    /// WAL). <c>FAST</c> would not do: it leaves the overflow pages of any body over a page long untouched.
    /// <c>journal_size_limit=0</c>: the first commit after the WAL starts over cuts it to what that commit wrote,
    /// so frames of earlier cycles (bodies of delivered messages among them) do not linger past the written end.
    /// <c>temp_store=MEMORY</c>: a statement inside a larger transaction (the group commit runs many) keeps the pages
    /// it changes in a statement journal, which past 64 KiB SQLite spills to a file in <c>/var/tmp</c>: body pages on
    /// a disk the queue's folder does not govern, and in the load benchmark 43 extra writes and ~100 KB per message.
    /// </remarks>
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
            pragmas.CommandText = $"PRAGMA synchronous = FULL; PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; " +
                "PRAGMA secure_delete = ON; PRAGMA journal_size_limit = 0; PRAGMA temp_store = MEMORY;";
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
