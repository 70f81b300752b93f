using Microsoft.Extensions.Logging;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Delivery;

/// <summary>A logger whose entries a test can await by event id (instead of sleeping until something happened).</summary>
internal sealed class AwaitableLogger<T> : ILogger<T>
{
    private readonly List<LogEntry> _entries = [];
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Done)> _waiters = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries.Select(e => e.Message)];
            }
        }
    }

    /// <summary>Every entry so far, with its event id and fields.</summary>
    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>The first entry with <paramref name="eventId"/>, past or future, that also matches <paramref name="where"/>.</summary>
    public Task<LogEntry> WaitForEventAsync(int eventId, Func<LogEntry, bool>? where = null, TimeSpan? timeout = null) =>
        WaitForEventAsync(e => e.EventId == eventId && (where is null || where(e)), timeout);

    /// <summary>How many entries have been logged so far: a position to wait from.</summary>
    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The first entry, past (from position <paramref name="from"/> on) or future, that matches.</summary>
    public Task<LogEntry> WaitForEventAsync(Func<LogEntry, bool> match, TimeSpan? timeout = null, int from = 0)
    {
        lock (_entries)
        {
            if (_entries.Skip(from).FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            var done = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var entry = LogEntry.From(eventId, logLevel, state, exception, formatter(state, exception));
        lock (_entries)
        {
            _entries.Add(entry);
            foreach (var waiter in _waiters.Where(w => w.Match(entry)).ToList())
            {
                waiter.Done.TrySetResult(entry);
                _waiters.Remove(waiter);
            }
        }
    }
}
