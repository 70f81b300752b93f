using Microsoft.Extensions.Logging;

namespace RelaySigner.Tests.Delivery;

/// <summary>One log entry as a test sees it: its event id, level, formatted message and named fields.</summary>
internal sealed record LoggedEvent(int Id, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields)
{
    public object? this[string field] => Fields.TryGetValue(field, out var value) ? value : null;

    public static LoggedEvent From<TState>(EventId eventId, LogLevel level, TState state, string message) =>
        new(eventId.Id, level, message, state is IEnumerable<KeyValuePair<string, object?>> fields
            ? fields.GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.First().Value)
            : new Dictionary<string, object?>());
}
