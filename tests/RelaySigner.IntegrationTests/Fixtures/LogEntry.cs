using Microsoft.Extensions.Logging;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// One log entry the relay wrote (<see cref="CapturingLoggerProvider"/>, or a <see cref="RelayProcess"/>'s JSON console
/// line): its event id, level, formatted message, exception and named fields.
/// </summary>
internal sealed record LogEntry(int EventId, LogLevel Level, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Fields)
{
    /// <summary>A field's value, or null when the event has no such field.</summary>
    public object? this[string field] => Fields.TryGetValue(field, out var value) ? value : null;

    /// <summary>A field's value as text, as the relay's log line shows it.</summary>
    public string? Text(string field) => this[field]?.ToString();
}
