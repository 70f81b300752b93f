using Microsoft.Data.Sqlite;

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

    /// <summary>Stores the parts in a new row, in the caller's transaction.</summary>
    /// <param name="length">The parts' total length.</param>
    /// <returns>The row's key, for <c>messages.content_id</c>.</returns>
    public static long Write(SqliteTransaction tx, IReadOnlyList<ReadOnlyMemory<byte>> contentParts, long length)
    {
        if (length <= BoundContentLimit)
        {
            var bound = tx.Prepared("INSERT INTO message_contents (content) VALUES ($content) RETURNING id");
            bound.Parameters.Add("$content", SqliteType.Blob).Value = Join(contentParts, (int)length);
            return (long)bound.ExecuteScalar()!;
        }

        var insert = tx.Prepared("INSERT INTO message_contents (content) VALUES (zeroblob($length)) RETURNING id");
        insert.Parameters.AddWithValue("$length", length);
        var contentId = (long)insert.ExecuteScalar()!;

        using var blob = new SqliteBlob(tx.Connection!, "message_contents", "content", contentId);
        foreach (var part in contentParts)
        {
            blob.Write(part.Span);
        }

        return contentId;
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
    private const string SelectColumns = "SELECT c.id, length(c.content), CASE WHEN length(c.content) <= $limit THEN c.content END ";
    private const string ByContentIdSql = SelectColumns + "FROM message_contents c WHERE c.id = $id";
    private const string ByMessageIdSql = SelectColumns + "FROM messages m JOIN message_contents c ON c.id = m.content_id WHERE m.id = $id";

    /// <summary>The content stored under <paramref name="contentId"/> in one array, in the writer's transaction (a prepared statement); null when there is none.</summary>
    public static byte[]? Read(SqliteTransaction tx, long contentId) => Read(tx.Prepared(ByContentIdSql), tx.Connection!, contentId);

    /// <summary>The content of message <paramref name="id"/> in one array, on a connection of its own; null when there is none.</summary>
    public static byte[]? Read(SqliteConnection connection, string id)
    {
        using var select = connection.CreateCommand();
        select.CommandText = ByMessageIdSql;
        return Read(select, connection, id);
    }

    private static byte[]? Read(SqliteCommand select, SqliteConnection connection, object id)
    {
        long contentId;
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

            contentId = reader.GetInt64(0);
            length = reader.GetInt64(1);
        }

        var content = GC.AllocateUninitializedArray<byte>(checked((int)length));
        using var blob = new SqliteBlob(connection, "message_contents", "content", contentId, readOnly: true);
        blob.ReadExactly(content);
        return content;
    }
}
