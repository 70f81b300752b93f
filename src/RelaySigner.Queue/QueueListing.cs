using Microsoft.Data.Sqlite;
using RelaySigner.Core;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue;

/// <summary>
/// Reads what the embedded queue holds, for operators (<c>relaysigner queue list</c>). Opens <c>queue.db</c> read-only
/// on its own connection: in WAL mode a reader sees the last committed state and never blocks the running relay's
/// writer, and it takes no <see cref="QueueFolderLock"/>, so it works while the relay runs.
/// </summary>
public static class QueueListing
{
    /// <summary>Every message in the queue, oldest first; empty when the folder has no queue yet.</summary>
    public static IReadOnlyList<QueueEntry> Read(string folder)
    {
        using var connection = OpenReadOnly(folder);
        if (connection is null)
        {
            return [];
        }

        using var tx = connection.BeginTransaction(deferred: true); // one consistent snapshot for both queries

        var recipients = new Dictionary<string, List<QueueEntryRecipient>>(StringComparer.Ordinal);
        using (var select = tx.CreateCommand("SELECT message_id, address, status, last_reply FROM recipients ORDER BY message_id, ordinal"))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetString(0);
                if (!recipients.TryGetValue(id, out var list))
                {
                    recipients[id] = list = [];
                }

                list.Add(new QueueEntryRecipient(reader.GetString(1), (RecipientStatus)reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        var entries = new List<QueueEntry>();
        using (var select = tx.CreateCommand(
            "SELECT m.id, m.sender, m.size, m.received_at, m.attempts, m.next_attempt_at, l.lease_until " +
            "FROM messages m LEFT JOIN leases l ON l.message_id = m.id ORDER BY m.received_at, m.id"))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetString(0);
                entries.Add(new QueueEntry(
                    new QueueId(id),
                    reader.GetString(1),
                    reader.GetInt64(2),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                    reader.GetInt32(4),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                    reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                    recipients.GetValueOrDefault(id) ?? []));
            }
        }

        return entries;
    }

    /// <summary>
    /// Every pending recipient with its message's arrival, in message id order, read while the caller enumerates: a
    /// large queue is summed up without being held in memory. Recipients and messages are both clustered by message
    /// id, so this is one pass over each, and no content is read.
    /// </summary>
    public static IEnumerable<PendingRecipient> ReadPending(string folder)
    {
        using var connection = OpenReadOnly(folder);
        if (connection is null)
        {
            yield break;
        }

        using var select = connection.CreateCommand();
        select.CommandText = PendingSql;
        select.Parameters.AddWithValue("$pending", (int)RecipientStatus.Pending);
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            yield return new PendingRecipient(new QueueId(reader.GetString(0)), reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), reader.IsDBNull(3) ? null : reader.GetString(3));
        }
    }

    internal const string PendingSql =
        "SELECT r.message_id, r.address, m.received_at, r.last_reply FROM recipients r CROSS JOIN messages m ON m.id = r.message_id " +
        "WHERE r.status = $pending ORDER BY r.message_id, r.ordinal";

    /// <summary>The stored bytes of one message (signed, as they will be delivered); null when it is not in the queue.</summary>
    public static byte[]? ReadContent(string folder, QueueId id)
    {
        using var connection = OpenReadOnly(folder);
        return connection is null ? null : MessageContentSql.Read(connection, id.Value);
    }

    /// <returns>A read-only connection to the folder's queue; null when the folder has no queue yet.</returns>
    internal static SqliteConnection? OpenReadOnly(string folder)
    {
        var path = Path.Combine(Path.GetFullPath(folder), QueueOptions.DatabaseFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }
}
