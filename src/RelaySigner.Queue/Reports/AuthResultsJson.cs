using System.Buffers;
using System.Text;
using System.Text.Json;
using RelaySigner.Dmarc.Reports;

namespace RelaySigner.Queue.Reports;

/// <summary>
/// A record's raw DKIM or SPF results as one compact column: a JSON array of <c>[domain, selector, result]</c>
/// (selector null for SPF), or null when there are none. JSON rather than a separator format of our own: the values
/// come from hostile reports and may hold any character.
/// </summary>
internal static class AuthResultsJson
{
    public static string? Encode(IReadOnlyList<AuthResult> results)
    {
        if (results.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(64);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var result in results)
            {
                json.WriteStartArray();
                json.WriteStringValue(result.Domain);
                json.WriteStringValue(result.Selector);
                json.WriteStringValue(result.Result);
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyList<AuthResult> Decode(string? column)
    {
        if (column is null)
        {
            return [];
        }

        using var document = JsonDocument.Parse(column);
        return [.. document.RootElement.EnumerateArray().Select(result => new AuthResult(
            result[0].GetString()!, result[1].GetString(), result[2].GetString()!))];
    }
}
