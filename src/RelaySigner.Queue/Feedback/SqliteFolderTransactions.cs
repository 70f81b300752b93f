using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace RelaySigner.Queue.Feedback;

/// <summary>
/// Transactions on the queue in a folder for an operator's command, also while the relay runs: each call opens the
/// file the relay's way (WAL, synchronous=FULL, busy timeout), never creating it, and takes the write lock at once.
/// </summary>
internal sealed class SqliteFolderTransactions(string folder) : ISqliteTransactions
{
    public Task<T> RunAsync<T>(string name, Func<SqliteTransaction, T> body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = Path.Combine(Path.GetFullPath(folder), QueueOptions.DatabaseFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No queue at {path}.", path);
        }

        using var connection = QueueDatabase.Open(path, NullLogger.Instance);
        using var tx = connection.BeginTransaction(deferred: false);
        var result = body(tx);
        tx.Commit();
        return Task.FromResult(result);
    }
}
