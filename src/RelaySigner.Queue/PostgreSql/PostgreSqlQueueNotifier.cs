using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using RelaySigner.Core;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// Tells the other nodes that messages became due (<see cref="PostgreSqlQueueListener"/> wakes their delivery), so an
/// idle node takes its share at once instead of at its next poll (within 30 s). The enqueuing node wakes its own
/// delivery without the database.
/// </summary>
/// <remarks>
/// <para>
/// The NOTIFY is sent after the enqueue committed, from this loop, not inside the enqueue's transaction: a transaction
/// that notifies takes a lock for the whole database cluster at commit and holds it until its commit record is flushed
/// (so notifications appear in commit order), which would serialise every enqueue's COMMIT and undo the server's
/// group commit. Here enqueues only set a <see cref="PendingSignal"/> (no allocation, no round trip); signals that arrive while a
/// NOTIFY is out fold into the next one, and NOTIFYs are at least <see cref="Spacing"/> apart, so under load a node
/// sends at most 20 a second whatever its enqueue rate. The NOTIFY's transaction commits with
/// <c>synchronous_commit=off</c>: a lost wake-up costs a poll, not a message.
/// </para>
/// <para>A failed NOTIFY is logged and dropped: the listeners' poll still finds the message.</para>
/// </remarks>
public sealed class PostgreSqlQueueNotifier(NpgsqlDataSource database, TimeProvider time, ILogger<PostgreSqlQueueNotifier> logger)
    : BackgroundService
{
    /// <summary>The least time between two NOTIFYs of a node.</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(50);

    private readonly PendingSignal _signal = new();

    /// <summary>Messages are due now (committed): the other nodes should look. Cheap and never blocks.</summary>
    public void MessagesDue() => _signal.Set();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await _signal.TakeAsync(stoppingToken).ConfigureAwait(false);
                await NotifyAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(Spacing, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task NotifyAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync(stoppingToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection, tx);
            batch.Add("SET LOCAL synchronous_commit = off");
            batch.Add(PostgreSqlQueueChannel.NotifySql);
            await batch.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
            await tx.CommitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            PostgreSqlQueueLog.NotifyFailed(logger, ex.Message);
        }
    }
}
