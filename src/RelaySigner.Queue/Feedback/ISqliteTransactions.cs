using Microsoft.Data.Sqlite;

namespace RelaySigner.Queue.Feedback;

/// <summary>
/// Where the feedback stores of <c>queue.db</c> run their statements: inside the relay, the queue's writer loop (one
/// connection, group commit, <see cref="SqliteMessageQueue"/>); in the CLI, a connection of its own per call, which
/// WAL lets write between the relay's commits (<see cref="SqliteFolderTransactions"/>).
/// </summary>
internal interface ISqliteTransactions
{
    /// <summary>Runs <paramref name="body"/> in a transaction; completes once it is committed (fsync'd).</summary>
    Task<T> RunAsync<T>(string name, Func<SqliteTransaction, T> body, CancellationToken cancellationToken);
}
