using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace RelaySigner.Intake.Auth;

/// <summary>
/// Counts failed AUTH attempts per client IP over a sliding window, so a password cannot be guessed faster than
/// <see cref="SmtpOptions.MaxAuthFailures"/> tries per <see cref="SmtpOptions.AuthFailureWindow"/>, however many
/// connections the guesser opens. The admin listener's logins use one of their own, with their own limits.
/// </summary>
public sealed class AuthFailureThrottle
{
    /// <summary>Beyond this many tracked addresses, expired ones are swept out.</summary>
    private const int SweepThreshold = 10_000;

    private readonly ConcurrentDictionary<IPAddress, Queue<DateTimeOffset>> _failures = new();
    private readonly int _maxFailures;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;

    public AuthFailureThrottle(IOptions<SmtpOptions> options, TimeProvider time)
        : this(options.Value.MaxAuthFailures, options.Value.AuthFailureWindow, time)
    {
    }

    public AuthFailureThrottle(int maxFailures, TimeSpan window, TimeProvider time)
    {
        _maxFailures = maxFailures;
        _window = window;
        _time = time;
    }

    public bool IsBlocked(IPAddress? client) => client is not null && CountRecent(client) >= _maxFailures;

    /// <returns>True when this failure used up the client's allowance.</returns>
    public bool RecordFailure(IPAddress? client)
    {
        if (client is null)
        {
            return true;
        }

        if (_failures.Count > SweepThreshold)
        {
            foreach (var address in _failures.Keys)
            {
                if (CountRecent(address) == 0)
                {
                    _failures.TryRemove(address, out _);
                }
            }
        }

        var failures = _failures.GetOrAdd(client, _ => new Queue<DateTimeOffset>());
        lock (failures)
        {
            failures.Enqueue(_time.GetUtcNow());
        }

        return CountRecent(client) >= _maxFailures;
    }

    private int CountRecent(IPAddress client)
    {
        if (!_failures.TryGetValue(client, out var failures))
        {
            return 0;
        }

        var since = _time.GetUtcNow() - _window;
        lock (failures)
        {
            while (failures.TryPeek(out var oldest) && oldest <= since)
            {
                failures.Dequeue();
            }

            return failures.Count;
        }
    }
}
