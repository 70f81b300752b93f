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
/// A slot given back stays the node's, idle, for the <c>keepIdle</c> its session asked for (the SMTP connection reuse
/// time: that connection is still open at the receiver), and the node's next session to the destination takes it
/// without a round trip; a sweep unlocks the slots left idle that long. Without it every message cost two serialised
/// round trips on the slot connection: in the load benchmark (conn mode, one node) delivered/s went from 550 to 645
/// when the cluster count was left out altogether.
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

    /// <summary>Slots this node holds with no session on them, per key, each with the time it is to be unlocked.</summary>
    private readonly Dictionary<int, List<IdleSlot>> _idle = [];
    private NpgsqlConnection? _connection;
    private ITimer? _sweep;
    private bool _disposed;

    public async ValueTask<IAsyncDisposable> AcquireAsync(string destination, int limit, TimeSpan keepIdle, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var key = _keys.GetOrAdd(destination, KeyOf);
        var pause = FirstPause;
        while (true)
        {
            if (await TryTakeAsync(key, limit, cancellationToken).ConfigureAwait(false) is { } slot)
            {
                return new Slot(this, key, slot, keepIdle);
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
            _disposed = true;
            if (_sweep is not null)
            {
                await _sweep.DisposeAsync().ConfigureAwait(false);
            }

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
            if (_idle.TryGetValue(key, out var idle) && idle.Count > 0)
            {
                var reused = idle[^1]; // the most recently used: the older ones expire first
                idle.RemoveAt(idle.Count - 1);
                return reused.Slot;
            }

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

    private async ValueTask ReleaseAsync(int key, int slot, TimeSpan keepIdle)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_connection is null || !_held.TryGetValue(key, out var held) || !held.Contains(slot))
            {
                return; // lost with a broken connection: the server already let it go
            }

            if (keepIdle > TimeSpan.Zero && !_disposed)
            {
                if (!_idle.TryGetValue(key, out var idle))
                {
                    _idle[key] = idle = [];
                }

                idle.Add(new IdleSlot(slot, time.GetUtcNow() + keepIdle));
                ScheduleSweep();
                return;
            }

            await UnlockAsync(key, slot).ConfigureAwait(false);
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

    /// <summary>Unlocks the idle slots whose time is up, then waits for the next. Under the gate.</summary>
    private async Task SweepAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_connection is null)
            {
                return; // disposed, or the connection broke: the server let every slot go
            }

            var now = time.GetUtcNow();
            foreach (var (key, idle) in _idle)
            {
                for (var i = idle.Count - 1; i >= 0; i--)
                {
                    if (idle[i].Until <= now)
                    {
                        var slot = idle[i].Slot;
                        idle.RemoveAt(i);
                        await UnlockAsync(key, slot).ConfigureAwait(false);
                    }
                }
            }

            ScheduleSweep();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // Nobody awaits the sweep: a broken connection is dropped here, with its locks, as a failed release does.
            await ForgetConnectionAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sets the sweep for the first idle slot to expire, if any. Under the gate.</summary>
    private void ScheduleSweep()
    {
        if (_disposed)
        {
            return;
        }

        var first = _idle.Values.SelectMany(idle => idle).Select(idle => (DateTimeOffset?)idle.Until).Min();
        if (first is not { } until)
        {
            return;
        }

        var due = until - time.GetUtcNow();
        due = due > TimeSpan.Zero ? due : TimeSpan.Zero;
        _sweep ??= time.CreateTimer(_ => _ = SweepAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _sweep.Change(due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Gives one slot back to the cluster. Under the gate, on an open connection.</summary>
    private async Task UnlockAsync(int key, int slot)
    {
        _held[key].Remove(slot);
        await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", _connection);
        release.Parameters.Add(new NpgsqlParameter { Value = key });
        release.Parameters.Add(new NpgsqlParameter { Value = slot });
        await release.ExecuteNonQueryAsync().ConfigureAwait(false);
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
        _idle.Clear();
    }

    private static int KeyOf(string destination) =>
        BinaryPrimitives.ReadInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(destination)));

    private readonly record struct IdleSlot(int Slot, DateTimeOffset Until);

    private sealed class Slot(PostgreSqlDestinationSlots owner, int key, int slot, TimeSpan keepIdle) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _released, 1) == 0 ? owner.ReleaseAsync(key, slot, keepIdle) : ValueTask.CompletedTask;
    }
}
