namespace RelaySigner.Tests.Delivery;

/// <summary>One log entry as a test sees it: its event id, its formatted message and its named fields.</summary>
internal sealed record LoggedEvent(int Id, string Message, IReadOnlyDictionary<string, object?> Fields)
{
    public object? this[string field] => Fields.TryGetValue(field, out var value) ? value : null;

    public static LoggedEvent From<TState>(Microsoft.Extensions.Logging.EventId eventId, TState state, string message) =>
        new(eventId.Id, message, state is IEnumerable<KeyValuePair<string, object?>> fields
            ? fields.GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.First().Value)
            : new Dictionary<string, object?>());
}
