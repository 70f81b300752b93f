namespace RelaySigner.Delivery.Transport;

/// <summary>
/// Keeps SMTP sessions open for a short while after a transaction, so the next message to the same host goes out on
/// the same connection (after RSET) instead of paying for TCP, greeting, EHLO and TLS again. A session idle longer than
/// <see cref="DeliveryOptions.ConnectionReuseTime"/> is closed, by the sweep or when next taken.
/// </summary>
/// <remarks>
/// Sessions are kept per <see cref="SessionKey"/> (address, and whether TLS/AUTH were required when it was opened), so a
/// session opened without those is never handed to a route that needs them. Closing an idle session just drops the
/// TCP connection (no QUIT): the server sees the same as a client that went away, and nothing is in flight.
/// </remarks>
internal sealed class SmtpSessionPool : IDisposable
{
    private readonly TimeSpan _idleLimit;
    private readonly TimeProvider _time;
    private readonly Dictionary<SessionKey, Stack<(RecordingSmtpClient Client, DateTimeOffset IdleSince)>> _idle = [];
    private readonly Lock _lock = new();
    private readonly ITimer? _sweep;
    private bool _disposed;

    public SmtpSessionPool(TimeSpan idleLimit, TimeProvider time)
    {
        _idleLimit = idleLimit;
        _time = time;
        if (idleLimit > TimeSpan.Zero)
        {
            _sweep = time.CreateTimer(_ => Sweep(), null, idleLimit, idleLimit);
        }
    }

    /// <summary>False when <see cref="DeliveryOptions.ConnectionReuseTime"/> is 0: every session ends with QUIT.</summary>
    public bool Enabled => _idleLimit > TimeSpan.Zero;

    /// <summary>An idle session for <paramref name="key"/> that is still within its idle limit, or null.</summary>
    public RecordingSmtpClient? TryTake(SessionKey key)
    {
        var now = _time.GetUtcNow();
        List<RecordingSmtpClient> expired = [];
        RecordingSmtpClient? found = null;
        lock (_lock)
        {
            if (_idle.TryGetValue(key, out var stack))
            {
                while (found is null && stack.TryPop(out var idle))
                {
                    if (now - idle.IdleSince < _idleLimit && idle.Client.IsConnected)
                    {
                        found = idle.Client;
                    }
                    else
                    {
                        expired.Add(idle.Client);
                    }
                }
            }
        }

        expired.ForEach(c => c.Dispose());
        return found;
    }

    /// <summary>Keeps a session whose transaction is over for the next message; closes it when reuse is off.</summary>
    public void Return(SessionKey key, RecordingSmtpClient client)
    {
        lock (_lock)
        {
            if (!_disposed && _idleLimit > TimeSpan.Zero && client.IsConnected)
            {
                if (!_idle.TryGetValue(key, out var stack))
                {
                    _idle[key] = stack = new Stack<(RecordingSmtpClient, DateTimeOffset)>();
                }

                stack.Push((client, _time.GetUtcNow()));
                return;
            }
        }

        client.Dispose();
    }

    public void Dispose()
    {
        List<RecordingSmtpClient> all;
        lock (_lock)
        {
            _disposed = true;
            all = [.. _idle.Values.SelectMany(s => s.Select(i => i.Client))];
            _idle.Clear();
        }

        _sweep?.Dispose();
        all.ForEach(c => c.Dispose());
    }

    private void Sweep()
    {
        var now = _time.GetUtcNow();
        List<RecordingSmtpClient> expired = [];
        lock (_lock)
        {
            foreach (var (key, stack) in _idle.ToList())
            {
                var keep = stack.Where(i => now - i.IdleSince < _idleLimit).Reverse().ToList();
                expired.AddRange(stack.Where(i => now - i.IdleSince >= _idleLimit).Select(i => i.Client));
                _idle[key] = new Stack<(RecordingSmtpClient, DateTimeOffset)>(keep);
            }
        }

        expired.ForEach(c => c.Dispose());
    }
}
