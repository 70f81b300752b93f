using Microsoft.Extensions.Logging;

namespace RelaySigner.Tests.Delivery;

/// <summary>A logger whose lines a test can await (instead of sleeping until something happened).</summary>
internal sealed class AwaitableLogger<T> : ILogger<T>
{
    private readonly List<string> _lines = [];
    private readonly List<(int EventId, TaskCompletionSource Logged)> _eventWaiters = [];
    private readonly HashSet<int> _eventIds = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The first line, past or future, that matches.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match)
    {
        lock (_lines)
        {
            if (_lines.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Completes once an entry with <paramref name="eventId"/> is, or was, logged.</summary>
    public Task WaitForEventAsync(int eventId)
    {
        lock (_lines)
        {
            if (_eventIds.Contains(eventId))
            {
                return Task.CompletedTask;
            }

            var logged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _eventWaiters.Add((eventId, logged));
            return logged.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = formatter(state, exception);
        lock (_lines)
        {
            _lines.Add(line);
            _eventIds.Add(eventId.Id);
            foreach (var waiter in _eventWaiters.Where(w => w.EventId == eventId.Id).ToList())
            {
                waiter.Logged.TrySetResult();
                _eventWaiters.Remove(waiter);
            }

            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Done.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }
}
