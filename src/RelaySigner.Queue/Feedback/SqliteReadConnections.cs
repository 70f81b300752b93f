using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace RelaySigner.Queue.Feedback;

/// <summary>
/// Read-only connections to <c>queue.db</c>, opened on first need and kept for reuse, for reads on the message path
/// that must not wait for the writer loop: in WAL mode a reader sees the last commit without taking the write lock,
/// whereas an operation of the writer loop waits for the batch in flight and its fsync. Kept open rather than opened
/// per read: opening one (file, WAL index, pragmas) costs more than the read itself, and the queue's connections are
/// not pooled (<see cref="QueueDatabase.Connect"/>). Closed at dispose, so the folder can be reopened or removed.
/// </summary>
internal sealed class SqliteReadConnections(string databasePath) : IDisposable
{
    private readonly ConcurrentBag<SqliteConnection> _idle = [];
    private int _disposed;

    /// <summary>Runs <paramref name="read"/> in a read transaction on an idle connection (or a new one).</summary>
    public T Run<T>(Func<SqliteTransaction, T> read)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var connection = _idle.TryTake(out var idle) ? idle : QueueDatabase.Connect(databasePath, SqliteOpenMode.ReadOnly);
        try
        {
            T result;
            using (var tx = connection.BeginTransaction(deferred: true))
            {
                result = read(tx);
            }

            _idle.Add(connection);
            if (Volatile.Read(ref _disposed) != 0 && _idle.TryTake(out var late))
            {
                late.Dispose();
            }

            return result;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _disposed, 1);
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }
}
