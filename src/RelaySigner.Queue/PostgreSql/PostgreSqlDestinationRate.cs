using Npgsql;
using RelaySigner.Core.Delivery;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// The per-destination message rate over every node on the database: a destination's next start lives in a row of
/// <c>relaysigner.destination_pace</c>, and a node reserves one by moving it on by the interval in a single statement
/// (the row lock orders the nodes), then waits for its start on its own clock. As the embedded queue's gate: starts
/// are spaced, with no burst, so any window of the rate's length holds at most its count.
/// </summary>
/// <remarks>
/// <para>
/// Cost: one statement per message to a rated destination (none when the rate is off), a HOT update of one row, in
/// two round trips (the statement, the COMMIT). The transaction commits with <c>synchronous_commit=off</c>: the row
/// lock that orders the nodes is held until COMMIT, and with the pool's <c>on</c> every reservation of a destination
/// would wait for a WAL flush in turn, capping its rate at the disk's flush rate. A crash of the database can forget
/// the last starts, which only lets the destination start afresh.
/// </para>
/// <para>
/// A reservation that is never used (the node stops while waiting) is lost, which only slows the destination down.
/// Times are the nodes' clocks, as leases are: nodes must agree to well within an interval (NTP); a clock that runs
/// ahead makes the others wait longer, never send faster.
/// </para>
/// </remarks>
public sealed class PostgreSqlDestinationRate(NpgsqlDataSource database, TimeProvider time) : IDestinationRate
{
    // $2 is now, $3 the interval: the start is the later of now and the row's next start.
    private const string ReserveSql =
        "INSERT INTO relaysigner.destination_pace AS pace (destination, next_start) VALUES ($1, $2 + $3) " +
        "ON CONFLICT (destination) DO UPDATE SET next_start = GREATEST(pace.next_start, $2) + $3 " +
        "RETURNING pace.next_start - $3";

    public async Task WaitTurnAsync(string destination, TimeSpan interval, CancellationToken cancellationToken)
    {
        var start = await ReserveAsync(destination, interval, cancellationToken).ConfigureAwait(false);
        var wait = start - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <returns>The start reserved for the caller: never within <paramref name="interval"/> of another one.</returns>
    internal async Task<DateTimeOffset> ReserveAsync(string destination, TimeSpan interval, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.Add("SET LOCAL synchronous_commit = off");
        batch.Add(ReserveSql, destination, time.GetUtcNow().ToUniversalTime(), interval);
        // Not cancellable: a statement cut off halfway would leave unknown whether the start was taken.
        // The SET returns no rows, so the first value is the reservation's.
        var start = (DateTime)(await batch.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false))!;
        await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return new DateTimeOffset(start, TimeSpan.Zero);
    }
}
