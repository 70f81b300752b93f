using System.Globalization;
using Microsoft.Data.Sqlite;
using RelaySigner.Core.Queue;

namespace RelaySigner.Benchmarks.Scale;

/// <summary>
/// Fills a queue file to a given depth the way a real backlog looks after days of a slow or throttling destination:
/// 99% deferred (attempted 1–8 times, next attempt between 10 minutes and 4 days ahead), 1% due now (their retry time
/// passed), received over the last 5 days in id order, 1–3 recipients over 50 domains, and in multi-recipient
/// messages the first already delivered. No leases: a filled queue is opened like one a stopped relay left.
/// </summary>
/// <remarks>
/// Writes rows straight into the queue's tables in transactions of <see cref="Chunk"/> messages, without fsync,
/// rather than through <c>EnqueueAsync</c>: a million fsync'd group commits would take most of an hour, and
/// EnqueueAsync can only make due-now, never-attempted messages. The file is created by the queue itself first
/// (schema, version, WAL), so only these INSERTs know the column names; the measured operations all go through
/// <see cref="IMessageQueue"/>.
/// </remarks>
internal static class ScaleBacklog
{
    private const int Chunk = 20_000;
    private const int Domains = 50;

    public static void Fill(string databasePath, int depth, byte[] content, DateTimeOffset now)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        using (var pragmas = connection.CreateCommand())
        {
            // Bulk load: rollback journal (new pages are written once, not into the WAL and again at checkpoint), no
            // fsync, a larger page cache. The queue switches back to WAL and its own pragmas when it opens the file.
            pragmas.CommandText = "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;";
            pragmas.ExecuteNonQuery();
        }

        var random = new Random(depth);
        var nowMs = now.ToUnixTimeMilliseconds();
        var firstReceived = nowMs - (long)TimeSpan.FromDays(5).TotalMilliseconds;
        var step = Math.Max(1, (nowMs - firstReceived - 60_000) / Math.Max(1, depth));
        for (var start = 0; start < depth; start += Chunk)
        {
            using var tx = connection.BeginTransaction();
            using var message = Command(tx,
                "INSERT INTO messages (id, sender, received_at, next_attempt_at, attempts, size, content_id, header_message_id) " +
                "VALUES ($id, $sender, $received, $next, $attempts, $size, $content, $messageId)",
                "$id", "$sender", "$received", "$next", "$attempts", "$size", "$content", "$messageId");
            using var stored = Command(tx,
                "INSERT INTO message_contents (content) VALUES ($content) RETURNING id", "$content");
            using var recipient = Command(tx,
                "INSERT INTO recipients (message_id, ordinal, address, status, last_reply) VALUES ($id, $ordinal, $address, $status, $reply)",
                "$id", "$ordinal", "$address", "$status", "$reply");
            stored.Parameters["$content"].Value = content;
            message.Parameters["$size"].Value = content.Length;
            for (var i = start; i < Math.Min(depth, start + Chunk); i++)
            {
                var received = firstReceived + (i * step);
                var id = string.Create(CultureInfo.InvariantCulture, $"{received:X11}{i:X10}");
                var due = random.Next(100) == 0;
                var next = due
                    ? nowMs - random.NextInt64(1_000, 3_600_000)
                    : nowMs + random.NextInt64(600_000, (long)TimeSpan.FromDays(4).TotalMilliseconds);
                message.Parameters["$id"].Value = id;
                message.Parameters["$sender"].Value = "bounces@news.example.org";
                message.Parameters["$received"].Value = received;
                message.Parameters["$next"].Value = next;
                message.Parameters["$attempts"].Value = random.Next(1, 9);
                message.Parameters["$messageId"].Value = string.Create(CultureInfo.InvariantCulture, $"{id}@news.example.org");
                message.Parameters["$content"].Value = (long)stored.ExecuteScalar()!;
                message.ExecuteNonQuery();

                var count = random.Next(1, 4);
                for (var ordinal = 0; ordinal < count; ordinal++)
                {
                    var delivered = count > 1 && ordinal == 0;
                    recipient.Parameters["$id"].Value = id;
                    recipient.Parameters["$ordinal"].Value = ordinal;
                    recipient.Parameters["$address"].Value =
                        string.Create(CultureInfo.InvariantCulture, $"user{i}.{ordinal}@d{random.Next(Domains)}.example.com");
                    recipient.Parameters["$status"].Value = (int)(delivered ? RecipientStatus.Delivered : RecipientStatus.Pending);
                    recipient.Parameters["$reply"].Value = delivered ? "250 2.0.0 ok" : "451 4.7.1 try again later";
                    recipient.ExecuteNonQuery();
                }
            }

            tx.Commit();
        }

        connection.Close();
        // The fill ran without fsync: write it all out now, so the measured rounds do not pay for its writeback.
        using var file = new FileStream(databasePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        file.Flush(flushToDisk: true);
    }

    private static SqliteCommand Command(SqliteTransaction tx, string sql, params string[] parameters)
    {
        var command = tx.Connection!.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }
}
