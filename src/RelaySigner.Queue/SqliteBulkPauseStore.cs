using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Queue;

/// <summary>
/// <see cref="IBulkPauseStore"/> in the embedded queue's file (table <c>bulk_pauses</c>, <see cref="QueueSchema"/>),
/// on a connection of its own per call, beside the relay's writer as the queue verbs are (WAL, busy timeout): a
/// read a minute and the rare pause or resume are not worth a place in the message path's writer loop.
/// </summary>
public sealed class SqliteBulkPauseStore(string folder) : IBulkPauseStore
{
    private const string Table = "bulk_pauses";

    public Task<IReadOnlyList<BulkPause>> ListAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = BulkPauseSql.List(Table);
        using var reader = command.ExecuteReader();
        var pauses = new List<BulkPause>();
        while (reader.Read())
        {
            pauses.Add(new BulkPause(reader.GetString(0), Time(reader.GetInt64(1)), reader.GetDouble(2), reader.IsDBNull(3) ? null : Time(reader.GetInt64(3))));
        }

        return Task.FromResult<IReadOnlyList<BulkPause>>(pauses);
    }

    public Task<bool> PauseAsync(BulkPause pause, CancellationToken cancellationToken) =>
        Task.FromResult(Execute(BulkPauseSql.Pause(Table), pause.Domain, pause.PausedAt.ToUnixTimeMilliseconds(), pause.ComplaintRate) == 1);

    public Task<bool> ResumeAsync(string domain, DateTimeOffset at, CancellationToken cancellationToken) =>
        Task.FromResult(Execute(BulkPauseSql.Resume(Table), domain.ToLowerInvariant(), at.ToUnixTimeMilliseconds()) == 1);

    private int Execute(string sql, params object[] values)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue($"${i + 1}", values[i]);
        }

        return command.ExecuteNonQuery();
    }

    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    /// <summary>The relay's own way of opening, which brings the schema up to date (the CLI may come first).</summary>
    private SqliteConnection Open()
    {
        var full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        return QueueDatabase.Open(Path.Combine(full, QueueOptions.DatabaseFileName), NullLogger.Instance);
    }
}
