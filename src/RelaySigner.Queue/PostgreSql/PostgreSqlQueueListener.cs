using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// Wakes this node's delivery (<see cref="DeliveryWakeup"/>) when another node says messages are due
/// (<see cref="PostgreSqlQueueNotifier"/>), on a connection of its own that LISTENs. Promise: after an outage it
/// reconnects by itself, and wakes delivery once it has (what was said meanwhile was lost); until then delivery polls
/// as it does anyway (every 30 s at most).
/// </summary>
/// <remarks>
/// An idle LISTEN connection sees a dead server only when it next writes, so it asks the server something every
/// <see cref="IdleCheck"/>: a half-open connection (a failover, a dropped NAT entry) is found within that time rather
/// than after the system's TCP keepalive (two hours). Reconnects come at once after a working connection broke, then
/// after 1 s, doubling to 30 s while the database stays away. Costs one connection per node.
/// </remarks>
public sealed class PostgreSqlQueueListener(NpgsqlDataSource database, DeliveryWakeup wakeup, TimeProvider time,
    ILogger<PostgreSqlQueueListener> logger) : BackgroundService
{
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.Zero;
        var connectedBefore = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                connection.Notification += (_, _) => wakeup.Notify();
                await using (var listen = new NpgsqlCommand(PostgreSqlQueueChannel.ListenSql, connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                if (connectedBefore)
                {
                    wakeup.Notify(); // anything said while the connection was down went unheard
                }

                connectedBefore = true;
                retry = TimeSpan.Zero;
                PostgreSqlQueueLog.Listening(logger);
                await ListenAsync(connection, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException or IOException)
            {
                PostgreSqlQueueLog.ListenFailed(logger, retry, ex.Message);
                try
                {
                    await Task.Delay(retry, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = retry == TimeSpan.Zero ? FirstRetry : retry * 2 < LongestRetry ? retry * 2 : LongestRetry;
            }
        }
    }

    /// <summary>Delivers notifications until the connection fails (throws) or the node stops.</summary>
    private async Task ListenAsync(NpgsqlConnection connection, CancellationToken stoppingToken)
    {
        while (true)
        {
            if (!await connection.WaitAsync(IdleCheck, stoppingToken).ConfigureAwait(false))
            {
                await using var check = new NpgsqlCommand("SELECT 1", connection);
                await check.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
