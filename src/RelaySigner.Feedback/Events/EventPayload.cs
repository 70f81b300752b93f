using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Feedback.Events;

/// <summary>
/// The JSON body of one webhook POST: a flat object whose fields are always present (null where unknown), so a
/// receiver can bind it to one type. Written field by field because this format is a published contract: a renamed
/// property elsewhere must not change it. Never a Subject or body: <see cref="RelayEvent"/> has none.
/// </summary>
public static class EventPayload
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Addresses stay readable (a '+' or a non-ASCII local part is not \u-escaped); the body is never HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <param name="id">The outbox id: the same on every retry of the event, so the receiver can drop a repeat.</param>
    public static byte[] Write(long id, RelayEvent relayEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("id", id.ToString(CultureInfo.InvariantCulture));
            json.WriteString("type", TypeName(relayEvent.Type));
            json.WriteString("at", Timestamp(relayEvent.At));
            json.WriteString("queueId", relayEvent.QueueId?.Value);
            json.WriteString("messageId", relayEvent.MessageId);
            json.WriteString("recipient", relayEvent.Recipient);
            json.WriteString("fromDomain", relayEvent.FromDomain);
            json.WriteString("kind", relayEvent.Kind);
            json.WriteString("status", relayEvent.Status);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The <c>type</c> field: the lower-case member name (<c>delivered</c>, <c>bounced</c>, …).</summary>
    public static string TypeName(RelayEventType type) => type.ToString().ToLowerInvariant();

    /// <summary>RFC 3339 in UTC with milliseconds, e.g. <c>2026-12-06T03:35:50.123Z</c>.</summary>
    private static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
