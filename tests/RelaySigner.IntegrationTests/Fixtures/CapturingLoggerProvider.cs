using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>Keeps the relay's log entries so a test can await an event (by id and fields) instead of sleeping.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Done)> _waiters = [];

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Every log entry with its event id, level, exception and fields.</summary>
    public IReadOnlyCollection<LogEntry> Entries => _entries;

    /// <summary>Completes with the first entry (past or future) with event id <paramref name="eventId"/>.</summary>
    public Task<LogEntry> WaitForEventAsync(int eventId, TimeSpan timeout) => WaitForEventAsync(eventId, _ => true, timeout);

    /// <summary>Completes with the first entry (past or future) with event id <paramref name="eventId"/> that matches.</summary>
    public Task<LogEntry> WaitForEventAsync(int eventId, Func<LogEntry, bool> match, TimeSpan timeout)
    {
        lock (_waiters)
        {
            var seen = _entries.FirstOrDefault(e => e.EventId == eventId && match(e));
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            var done = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((e => e.EventId == eventId && match(e), done));
            return done.Task.WaitAsync(timeout);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        lock (_waiters)
        {
            _entries.Enqueue(entry);
            _lines.Enqueue(entry.Message);
            foreach (var waiter in _waiters.Where(w => w.Match(entry)).ToList())
            {
                waiter.Done.TrySetResult(entry);
                _waiters.Remove(waiter);
            }
        }
    }

    private sealed class Logger(CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Add(LogEntry.From(eventId, logLevel, state, exception, formatter(state, exception)));
    }
}
