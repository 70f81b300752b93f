using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RelaySigner.Queue;

/// <summary>
/// The tables of <c>queue.db</c> and their version, kept in <c>PRAGMA user_version</c>.
/// Times are Unix milliseconds (UTC); <c>recipients.status</c> holds <see cref="Core.Queue.RecipientStatus"/>.
/// </summary>
/// <remarks>
/// The content lives in <c>message_contents</c>, apart from the row that leases, attempts and the schedule update:
/// SQLite rewrites a whole row on UPDATE, so with the content in it every claim and every attempt would load a
/// message of tens of megabytes into native memory twice (the old value and the new record) only to change a time.
/// </remarks>
internal static class QueueSchema
{
    public const int Version = 3;

    /// <summary>
    /// Brings the file to <see cref="Version"/> in one transaction: creates the tables in a new file, adds what a
    /// version 1 file lacks (<c>lease_token</c>), moves the content of a version 1 or 2 file out of
    /// <c>messages</c>, and refuses (<see cref="NotSupportedException"/>) a file written by a newer build rather
    /// than guess at its layout.
    /// </summary>
    public static void Migrate(SqliteConnection connection)
    {
        using var tx = connection.BeginTransaction();
        using var command = tx.CreateCommand("PRAGMA user_version;");
        var version = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > Version)
        {
            throw new NotSupportedException(
                $"{connection.DataSource} has queue schema version {version}; this build knows up to {Version}.");
        }

        if (version == 1)
        {
            // Version 1 claims carried no token; every old lease gets token 0.
            command.CommandText = "ALTER TABLE messages ADD COLUMN lease_token INTEGER NOT NULL DEFAULT 0;";
            command.ExecuteNonQuery();
        }

        command.CommandText = """
            CREATE TABLE IF NOT EXISTS messages (
                id              TEXT    NOT NULL PRIMARY KEY,
                sender          TEXT    NOT NULL,
                received_at     INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                attempts        INTEGER NOT NULL DEFAULT 0,
                lease_until     INTEGER NULL,
                lease_token     INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE IF NOT EXISTS message_contents (
                message_id TEXT NOT NULL PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
                content    BLOB NOT NULL
            );
            CREATE TABLE IF NOT EXISTS recipients (
                message_id TEXT    NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                ordinal    INTEGER NOT NULL,
                address    TEXT    NOT NULL,
                status     INTEGER NOT NULL,
                last_reply TEXT    NULL,
                PRIMARY KEY (message_id, ordinal)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS ix_messages_due ON messages (next_attempt_at, lease_until);
            """;
        command.ExecuteNonQuery();

        if (version is 1 or 2)
        {
            command.CommandText = """
                INSERT INTO message_contents (message_id, content) SELECT id, content FROM messages;
                ALTER TABLE messages DROP COLUMN content;
                """;
            command.ExecuteNonQuery();
        }

        command.CommandText = $"PRAGMA user_version = {Version};";
        command.ExecuteNonQuery();
        tx.Commit();
    }
}
