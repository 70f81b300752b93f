using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>Keeps the relay's log lines so a test can await an event instead of sleeping.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];
    private readonly List<(int EventId, TaskCompletionSource<LogEntry> Done)> _eventWaiters = [];

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Every log entry with its event id, level and exception.</summary>
    public IReadOnlyCollection<LogEntry> Entries => _entries;

    /// <summary>Completes with the first entry (past or future) with event id <paramref name="eventId"/>.</summary>
    public Task<LogEntry> WaitForEventAsync(int eventId, TimeSpan timeout)
    {
        lock (_waiters)
        {
            var seen = _entries.FirstOrDefault(e => e.EventId == eventId);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            var done = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
            _eventWaiters.Add((eventId, done));
            return done.Task.WaitAsync(timeout);
        }
    }

    /// <summary>Completes with the first line (past or future) that matches.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        lock (_waiters)
        {
            var seen = _lines.FirstOrDefault(match);
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
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
            var line = entry.Message;
            _entries.Enqueue(entry);
            foreach (var waiter in _eventWaiters.Where(w => w.EventId == entry.EventId).ToList())
            {
                waiter.Done.TrySetResult(entry);
                _eventWaiters.Remove(waiter);
            }

            _lines.Enqueue(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Done.TrySetResult(line);
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
            provider.Add(new LogEntry(eventId.Id, logLevel, formatter(state, exception), exception));
    }
}
