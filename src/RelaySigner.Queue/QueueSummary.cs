using Microsoft.Data.Sqlite;

namespace RelaySigner.Queue;

/// <summary>
/// How many messages the queue holds and when the oldest was accepted, read on a read-only connection of its own:
/// in WAL mode it sees the last commit and neither waits for nor blocks the relay's writer. Two aggregate queries
/// over the primary key, cheap enough for every scrape.
/// </summary>
public sealed record QueueSummary(long Messages, DateTimeOffset? OldestReceivedAt)
{
    public static QueueSummary Read(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), MIN(received_at) FROM messages";
        using var reader = command.ExecuteReader();
        reader.Read();
        return new QueueSummary(reader.GetInt64(0), reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)));
    }
}
