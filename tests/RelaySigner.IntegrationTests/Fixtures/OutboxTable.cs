using Microsoft.Data.Sqlite;
using RelaySigner.Core.Feedback;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// The events a relay recorded, read from the outbox table of its embedded queue. Tests point the webhook at a port
/// nobody answers, so every event stays there: read through <see cref="IEventOutbox"/> instead, an event the webhook
/// sender holds leased would be missed.
/// </summary>
internal static class OutboxTable
{
    public sealed record Row(RelayEventType Type, string Recipient, string? FromDomain, string? Kind, string? Status);

    /// <summary>Settings that turn events on, towards a receiver that never answers.</summary>
    public static readonly (string Key, string Value)[] EventsOn =
    [
        ("Relay:Events:WebhookUrl", "http://127.0.0.1:9/events"),
        ("Relay:Events:Secret", "a test secret of at least thirty-two characters"),
    ];

    /// <param name="queueFolder">The relay's <c>Relay:Queue:Path</c>.</param>
    public static List<Row> Events(string queueFolder)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(queueFolder, "queue.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT type, recipient, from_domain, kind, status FROM events ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<Row>();
        while (reader.Read())
        {
            rows.Add(new Row((RelayEventType)reader.GetInt32(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return rows;
    }
}
