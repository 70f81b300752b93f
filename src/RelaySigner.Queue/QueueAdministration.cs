using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using RelaySigner.Core;

namespace RelaySigner.Queue;

/// <summary>
/// Operators' changes to the queue (<c>relaysigner queue retry|delete</c>), made on the store directly, also while
/// the relay runs: WAL lets this second connection write between the relay's commits (it waits up to the busy
/// timeout for the write lock), and it takes no <see cref="QueueFolderLock"/>. Each change is one transaction that
/// leaves a message leased by a delivery worker untouched (the check and the change are one statement under the
/// write lock, so a claim cannot slip in between); the worker records its attempt as usual.
/// </summary>
public static class QueueAdministration
{
    private const string NotLeased = "NOT EXISTS (SELECT 1 FROM leases l WHERE l.message_id = messages.id AND l.lease_until > $now)";

    /// <summary>Makes the message due now (the running relay picks it up at its next look at the queue).</summary>
    public static QueueChange Retry(string folder, QueueId id, DateTimeOffset now) =>
        Change(folder, id, now, "UPDATE messages SET next_attempt_at = $now WHERE id = $id AND " + NotLeased);

    /// <summary>Makes every message not being delivered due now.</summary>
    /// <returns>How many messages were made due, and how many were left because a worker holds them.</returns>
    public static (int Retried, int BeingDelivered) RetryAll(string folder, DateTimeOffset now)
    {
        using var connection = Open(folder);
        using var tx = connection.BeginTransaction(deferred: false);
        using var command = tx.CreateCommand("UPDATE messages SET next_attempt_at = $now WHERE " + NotLeased);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        var retried = command.ExecuteNonQuery();
        command.CommandText = "SELECT COUNT(*) FROM messages WHERE NOT (" + NotLeased + ")";
        var leased = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        tx.Commit();
        return (retried, leased);
    }

    /// <summary>Removes the message and its recipients without a DSN, as <c>postsuper -d</c> does.</summary>
    /// <remarks>Its history keeps it, marked deleted, so its attempts are found and pruned with the rest.</remarks>
    public static QueueChange Delete(string folder, QueueId id, DateTimeOffset now) =>
        // Recipients and an expired lease go with it (ON DELETE CASCADE, foreign keys are on: QueueDatabase), the
        // content too (trigger messages_delete).
        Change(folder, id, now, "DELETE FROM messages WHERE id = $id AND " + NotLeased,
            before: HistorySql.RemovedSql + " AND " + NotLeased);

    /// <param name="before">A statement run first in the same transaction, with the same parameters.</param>
    private static QueueChange Change(string folder, QueueId id, DateTimeOffset now, string sql, string? before = null)
    {
        using var connection = Open(folder);
        using var tx = connection.BeginTransaction(deferred: false);
        using var command = tx.CreateCommand(before ?? sql);
        command.Parameters.AddWithValue("$id", id.Value);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        if (before is not null)
        {
            command.Parameters.AddWithValue("$attempts", DBNull.Value);
            command.Parameters.AddWithValue("$deleted", 1);
            command.ExecuteNonQuery();
            command.CommandText = sql;
        }

        if (command.ExecuteNonQuery() == 1)
        {
            tx.Commit();
            return QueueChange.Done;
        }

        command.CommandText = "SELECT COUNT(*) FROM messages WHERE id = $id";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0
            ? QueueChange.NotFound
            : QueueChange.BeingDelivered;
    }

    /// <summary>The relay's own way of opening (WAL, synchronous=FULL, foreign keys, busy timeout), but never creating a queue.</summary>
    private static SqliteConnection Open(string folder)
    {
        var path = Path.Combine(Path.GetFullPath(folder), QueueOptions.DatabaseFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No queue at {path}.", path);
        }

        return QueueDatabase.Open(path, NullLogger.Instance);
    }
}
