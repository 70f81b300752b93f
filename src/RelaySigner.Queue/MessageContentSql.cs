using Microsoft.Data.Sqlite;
using RelaySigner.Core;

namespace RelaySigner.Queue;

/// <summary>
/// Writes and reads a message's content in <c>message_contents</c> through SQLite's incremental blob API, so a
/// message of tens of megabytes is never copied in native memory. Bound as a parameter, a blob is copied by
/// SQLite and again into the row record; read as a column, it is first assembled whole in native memory. A
/// zeroblob is never materialised, and blob reads and writes go page by page.
/// </summary>
internal static class MessageContentSql
{
    /// <summary>
    /// Up to this size the content is bound as a parameter and read as a column: for a typical message the copies
    /// cost less than opening a blob handle, which compiles a statement each time.
    /// </summary>
    private const int BoundContentLimit = 256 * 1024;

    /// <summary>Stores the parts in a row as the content of message <paramref name="id"/>, in the caller's transaction.</summary>
    public static void Write(SqliteTransaction tx, QueueId id, IReadOnlyList<ReadOnlyMemory<byte>> contentParts)
    {
        var length = contentParts.Sum(part => (long)part.Length);
        if (length <= BoundContentLimit)
        {
            var bound = tx.Prepared("INSERT INTO message_contents (message_id, content) VALUES ($id, $content)");
            bound.Parameters.AddWithValue("$id", id.Value);
            bound.Parameters.Add("$content", SqliteType.Blob).Value = Join(contentParts, (int)length);
            bound.ExecuteNonQuery();
            return;
        }

        long rowid;
        var insert = tx.Prepared(
            "INSERT INTO message_contents (message_id, content) VALUES ($id, zeroblob($length)) RETURNING rowid");
        insert.Parameters.AddWithValue("$id", id.Value);
        insert.Parameters.AddWithValue("$length", length);
        rowid = (long)insert.ExecuteScalar()!;

        using var blob = new SqliteBlob(tx.Connection!, "message_contents", "content", rowid);
        foreach (var part in contentParts)
        {
            blob.Write(part.Span);
        }
    }

    private static byte[] Join(IReadOnlyList<ReadOnlyMemory<byte>> parts, int length)
    {
        var content = new byte[length];
        var at = 0;
        foreach (var part in parts)
        {
            part.Span.CopyTo(content.AsSpan(at));
            at += part.Length;
        }

        return content;
    }

    // length() of a blob reads only its size; the value itself is read here only when small.
    private const string SelectSql =
        "SELECT rowid, length(content), CASE WHEN length(content) <= $limit THEN content END " +
        "FROM message_contents WHERE message_id = $id";

    /// <summary>The content of message <paramref name="id"/> in one array, in the writer's transaction (a prepared statement); null when there is none.</summary>
    public static byte[]? Read(SqliteTransaction tx, string id) => Read(tx.Prepared(SelectSql), tx.Connection!, id);

    /// <summary>The content of message <paramref name="id"/> in one array, on a connection of its own; null when there is none.</summary>
    public static byte[]? Read(SqliteConnection connection, string id)
    {
        using var select = connection.CreateCommand();
        select.CommandText = SelectSql;
        return Read(select, connection, id);
    }

    private static byte[]? Read(SqliteCommand select, SqliteConnection connection, string id)
    {
        long rowid;
        long length;
        select.Parameters.AddWithValue("$id", id);
        select.Parameters.AddWithValue("$limit", BoundContentLimit);
        using (var reader = select.ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            if (!reader.IsDBNull(2))
            {
                return reader.GetFieldValue<byte[]>(2);
            }

            rowid = reader.GetInt64(0);
            length = reader.GetInt64(1);
        }

        var content = GC.AllocateUninitializedArray<byte>(checked((int)length));
        using var blob = new SqliteBlob(connection, "message_contents", "content", rowid, readOnly: true);
        blob.ReadExactly(content);
        return content;
    }
}
