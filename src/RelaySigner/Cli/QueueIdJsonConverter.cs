using System.Text.Json;
using System.Text.Json.Serialization;
using RelaySigner.Core;

namespace RelaySigner.Cli;

/// <summary>A queue id as its plain string in <c>queue … --json</c>.</summary>
internal sealed class QueueIdJsonConverter : JsonConverter<QueueId>
{
    public override QueueId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("queue id expected"));

    public override void Write(Utf8JsonWriter writer, QueueId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
