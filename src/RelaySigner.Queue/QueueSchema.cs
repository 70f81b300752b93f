using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RelaySigner.Queue;

/// <summary>
/// The tables of <c>queue.db</c> and their version, kept in <c>PRAGMA user_version</c>.
/// Times are Unix milliseconds (UTC); <c>recipients.status</c> holds <see cref="Core.Queue.RecipientStatus"/>.
/// </summary>
/// <remarks>
/// <para>
/// The content lives in <c>message_contents</c>, apart from the row that leases, attempts and the schedule update:
/// SQLite rewrites a whole row on UPDATE, so with the content in it every claim and every attempt would load a
/// message of tens of megabytes into native memory twice (the old value and the new record) only to change a time.
/// </para>
/// <para>
/// Every query of the relay's hot paths and of every metrics scrape is an index seek, never a scan, so the cost per
/// message stays the same with a million messages queued (<c>queue-scale</c> benchmark). No index more than these:
/// each one is another page written when an old message is delivered and deleted.
/// </para>
/// <list type="bullet">
/// <item><c>ix_messages_ready</c>: unleased messages by due time then id, the order claims take them in
/// (<see cref="ClaimDueSql"/>, <see cref="NextDueAtSql"/>); partial, so leased messages are not in the way.</item>
/// <item><c>ix_messages_leased</c>: the few leased messages (expired leases, releasing leases at open).</item>
/// <item><c>queue_depth</c>: the message count, kept by triggers in the same transaction as each insert and delete
/// (a COUNT(*) would read every row of an index at each scrape).</item>
/// </list>
/// </remarks>
internal static class QueueSchema
{
    public const int Version = 3;

    /// <summary>
    /// Brings the file to <see cref="Version"/> in one transaction: creates what is missing (all of it in a new file),
    /// adds what a version 1 file lacks (<c>lease_token</c>), moves the content of an older file out of
    /// <c>messages</c>, replaces version 2's due index with the version 3 indexes and counts the messages into
    /// <c>queue_depth</c>. Refuses (<see cref="NotSupportedException"/>) a file written by a newer build rather than
    /// guess at its layout.
    /// </summary>
    /// <returns>The version the file had before (0 for a new file).</returns>
    public static long Migrate(SqliteConnection connection)
    {
        using var tx = connection.BeginTransaction();
        using var command = tx.CreateCommand("PRAGMA user_version;");
        var version = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > Version)
        {
            throw new NotSupportedException(
                $"{connection.DataSource} has queue schema version {version}; this build knows up to {Version}.");
        }

        if (version == Version)
        {
            return version;
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

        command.CommandText = $"""
            DROP INDEX IF EXISTS ix_messages_due;
            CREATE INDEX IF NOT EXISTS ix_messages_ready ON messages (next_attempt_at, id) WHERE lease_until IS NULL;
            CREATE INDEX IF NOT EXISTS ix_messages_leased ON messages (lease_until) WHERE lease_until IS NOT NULL;
            CREATE TABLE IF NOT EXISTS queue_depth (messages INTEGER NOT NULL);
            INSERT INTO queue_depth (messages) SELECT COUNT(*) FROM messages WHERE NOT EXISTS (SELECT 1 FROM queue_depth);
            CREATE TRIGGER IF NOT EXISTS queue_depth_insert AFTER INSERT ON messages
                BEGIN UPDATE queue_depth SET messages = messages + 1; END;
            CREATE TRIGGER IF NOT EXISTS queue_depth_delete AFTER DELETE ON messages
                BEGIN UPDATE queue_depth SET messages = messages - 1; END;
            PRAGMA user_version = {Version};
            """;
        command.ExecuteNonQuery();
        tx.Commit();
        return version;
    }
}
