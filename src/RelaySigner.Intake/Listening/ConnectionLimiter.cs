using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Intake.Listening;

/// <summary>
/// Caps open connections overall and per client IP (SmtpServer has no limit of its own), and so also counts the
/// active sessions for <see cref="RelayMetrics"/> (none given: not counted, as in unit tests).
/// </summary>
public sealed class ConnectionLimiter(IOptions<SmtpOptions> options, ILogger<ConnectionLimiter> logger, RelayMetrics? metrics = null)
{
    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, int> _perClient = [];
    private readonly int _maxTotal = options.Value.MaxConnections;
    private readonly int _maxPerClient = options.Value.MaxConnectionsPerClient;
    private int _total;

    /// <returns>A lease to dispose when the connection ends, or null when a cap is reached.</returns>
    public IDisposable? TryAcquire(IPAddress client)
    {
        lock (_gate)
        {
            var fromClient = _perClient.GetValueOrDefault(client);
            if (_total >= _maxTotal || fromClient >= _maxPerClient)
            {
                return null;
            }

            _total++;
            _perClient[client] = fromClient + 1;
            metrics?.SessionOpened();
            return new Lease(this, client);
        }
    }

    private void Release(IPAddress client)
    {
        int open;
        lock (_gate)
        {
            open = --_total;
            if (--_perClient[client] == 0)
            {
                _perClient.Remove(client);
            }
        }

        metrics?.SessionClosed();
        IntakeLog.ConnectionClosed(logger, client.ToString(), open);
    }

    private sealed class Lease(ConnectionLimiter limiter, IPAddress client) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                limiter.Release(client);
            }
        }
    }
}
