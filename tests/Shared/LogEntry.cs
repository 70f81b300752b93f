using Microsoft.Extensions.Logging;

namespace RelaySigner.Testing;

/// <summary>
/// One log entry as a test sees it (from a test logger, or a relay process's JSON console line): its event id, level,
/// formatted message, exception and named fields, so tests select entries by what happened, not by wording.
/// </summary>
internal sealed record LogEntry(int EventId, LogLevel Level, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Fields)
{
    /// <summary>A field's value, or null when the event has no such field.</summary>
    public object? this[string field] => Fields.TryGetValue(field, out var value) ? value : null;

    /// <summary>A field's value as text, as the relay's log line shows it.</summary>
    public string? Text(string field) => this[field]?.ToString();

    /// <summary>The entry an <see cref="ILogger"/> is given: the named values of a [LoggerMessage] state, without the template.</summary>
    public static LogEntry From<TState>(EventId eventId, LogLevel level, TState state, Exception? exception, string message) =>
        new(eventId.Id, level, message, exception, state is IEnumerable<KeyValuePair<string, object?>> fields
            ? fields.Where(f => f.Key != "{OriginalFormat}").GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.First().Value)
            : new Dictionary<string, object?>());
}
