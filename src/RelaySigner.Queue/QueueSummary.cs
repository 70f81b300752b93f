using Microsoft.Data.Sqlite;

namespace RelaySigner.Queue;

/// <summary>
/// How many messages the queue holds and when the oldest was accepted, read on a read-only connection of its own:
/// in WAL mode it sees the last commit and neither waits for nor blocks the relay's writer. Both are lookups, not
/// scans (see <see cref="QueueSchema"/>), so a scrape costs the same with a million messages queued as with ten: the
/// count kept in <c>queue_depth</c>, and the oldest message as the first in id order (ids start with the acceptance
/// time, <see cref="Core.QueueId"/>), which spares an index on received_at that every enqueue and delete would
/// write; only a clock stepped back can make it name a slightly younger message.
/// </summary>
public sealed record QueueSummary(long Messages, DateTimeOffset? OldestReceivedAt)
{
    internal const string Sql = "SELECT (SELECT messages FROM queue_depth), (SELECT received_at FROM messages WHERE id = (SELECT MIN(id) FROM messages))";

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
        command.CommandText = Sql;
        using var reader = command.ExecuteReader();
        reader.Read();
        return new QueueSummary(reader.GetInt64(0), reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)));
    }
}
