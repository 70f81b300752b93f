using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RelaySigner.Tests.Delivery;

/// <summary>Keeps formatted log lines so tests can check what delivery logs (and what it must not).</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();
    private readonly ConcurrentQueue<(int EventId, string Message)> _events = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public IReadOnlyList<string> Messages => [.. _entries.Select(e => e.Message)];

    /// <summary>The messages logged with <paramref name="eventId"/>.</summary>
    public IReadOnlyList<string> WithEventId(int eventId) => [.. _events.Where(e => e.EventId == eventId).Select(e => e.Message)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        _events.Enqueue((eventId.Id, message));
        _entries.Enqueue((logLevel, message));
    }
}
