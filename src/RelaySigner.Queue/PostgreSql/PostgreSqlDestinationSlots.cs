using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using RelaySigner.Core.Delivery;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// The per-destination session limit over every node on the database, as PostgreSQL advisory locks: slot <c>n</c> of
/// a destination is the session-level lock (destination key, n), n below the limit. A node holds all of its slots on
/// one connection of its own, so the count costs one connection per node, not one per SMTP session.
/// </summary>
/// <remarks>
/// <para>
/// Advisory locks belong to the database session, so a node that dies gives its slots back the moment its connection
/// closes: no slot waits out a lease, and no table row is written per session. A session may take the same lock twice
/// (they nest), so the node keeps the slots it holds and asks only for the others. A slot that is busy everywhere is
/// asked for again after a short randomised pause (20 ms doubling to 1 s), which keeps the database's work per waiting
/// delivery small; <c>LISTEN/NOTIFY</c> would wake waiters sooner at the cost of a second connection per node.
/// </para>
/// <para>
/// If the slot connection breaks, the server has dropped its locks: the node forgets them and sessions already open
/// run on uncounted (the limit can be exceeded for the length of those sessions), and the next slot is taken on a new
/// connection. Keys: the first four bytes of SHA-256 of the destination, in the two-key lock space, apart from the
/// one-key lock the migrations take.
/// </para>
/// </remarks>
public sealed class PostgreSqlDestinationSlots(NpgsqlDataSource database, TimeProvider time) : IDestinationSlots, IAsyncDisposable
{
    // OFFSET 0 keeps the planner from evaluating the lock on a slot this node already holds; LIMIT 1 stops at the
    // first lock taken.
    private const string TakeSql =
        "SELECT slot FROM (SELECT slot FROM generate_series(0, $2 - 1) AS slot WHERE slot <> ALL($3) OFFSET 0) AS free " +
        "WHERE pg_try_advisory_lock($1, slot) LIMIT 1";

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<int, HashSet<int>> _held = [];
    private readonly ConcurrentDictionary<string, int> _keys = new(StringComparer.Ordinal);
    private NpgsqlConnection? _connection;

    public async ValueTask<IAsyncDisposable> AcquireAsync(string destination, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var key = _keys.GetOrAdd(destination, KeyOf);
        var pause = FirstPause;
        while (true)
        {
            if (await TryTakeAsync(key, limit, cancellationToken).ConfigureAwait(false) is { } slot)
            {
                return new Slot(this, key, slot);
            }

            await Task.Delay(pause * (0.5 + Random.Shared.NextDouble()), time, cancellationToken).ConfigureAwait(false);
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await ForgetConnectionAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int?> TryTakeAsync(int key, int limit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _connection ??= await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (!_held.TryGetValue(key, out var held))
            {
                _held[key] = held = [];
            }

            await using var take = new NpgsqlCommand(TakeSql, _connection);
            take.Parameters.Add(new NpgsqlParameter { Value = key });
            take.Parameters.Add(new NpgsqlParameter { Value = limit });
            take.Parameters.Add(new NpgsqlParameter { Value = held.ToArray() });
            // Not cancellable: a command cut off halfway would leave unknown whether the lock was taken.
            if (await take.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false) is int slot)
            {
                held.Add(slot);
                return slot;
            }

            return null;
        }
        catch (NpgsqlException)
        {
            await ForgetConnectionAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask ReleaseAsync(int key, int slot)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_connection is null || !_held.TryGetValue(key, out var held) || !held.Remove(slot))
            {
                return; // lost with a broken connection: the server already let it go
            }

            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", _connection);
            release.Parameters.Add(new NpgsqlParameter { Value = key });
            release.Parameters.Add(new NpgsqlParameter { Value = slot });
            await release.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            await ForgetConnectionAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Gives back every slot of the node and its connection; the next take opens a new one. The locks are released
    /// explicitly: a pooled connection keeps its session, and its locks, until it is used again.
    /// </summary>
    private async ValueTask ForgetConnectionAsync()
    {
        if (_connection is { State: System.Data.ConnectionState.Open } open)
        {
            try
            {
                await using var releaseAll = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", open);
                await releaseAll.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // A broken session: the server released its locks when it ended.
            }
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _connection = null;
        _held.Clear();
    }

    private static int KeyOf(string destination) =>
        BinaryPrimitives.ReadInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(destination)));

    private sealed class Slot(PostgreSqlDestinationSlots owner, int key, int slot) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _released, 1) == 0 ? owner.ReleaseAsync(key, slot) : ValueTask.CompletedTask;
    }
}
