using System.Data.Common;
using RelaySigner.Core;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Queue.Feedback;

/// <summary>
/// Rows of the suppression list and the events outbox as both stores select them (the column orders below), so one
/// reader turns either store's rows into values. Times are read by <c>time</c>: Unix milliseconds in SQLite,
/// <c>timestamptz</c> in PostgreSQL.
/// </summary>
internal static class FeedbackColumns
{
    /// <summary>The suppression columns, in the order <see cref="ReadSuppression"/> expects.</summary>
    public const string Suppression = "domain, recipient, reason, since, status, queue_id";

    /// <summary>The outbox columns, in the order <see cref="ReadEvent"/> expects.</summary>
    public const string Event = "id, attempts, type, at, recipient, queue_id, message_id, from_domain, kind, status";

    public static Suppression ReadSuppression(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time) =>
        new(reader.GetString(0),
            reader.GetString(1),
            (SuppressionReason)Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
            time(reader, 3),
            Text(reader, 4),
            Text(reader, 5) is { } queueId ? new QueueId(queueId) : null);

    public static OutboxEvent ReadEvent(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time) =>
        new(reader.GetInt64(0),
            reader.GetInt32(1),
            new RelayEvent(
                (RelayEventType)Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                time(reader, 3),
                reader.GetString(4),
                Text(reader, 5) is { } queueId ? new QueueId(queueId) : null,
                Text(reader, 6),
                Text(reader, 7),
                Text(reader, 8),
                Text(reader, 9)));

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
