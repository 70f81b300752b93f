using System.Text;

namespace RelaySigner.Signing.Dkim;

/// <summary>
/// A message as the client sent it, split into its header fields and its body without copying. DKIM hashes these
/// bytes, not a re-serialisation: what the receiver gets is exactly them with the signature on top. Lines end in
/// CRLF (intake refuses bare CR and LF); the header section ends at the first empty line, or at the end of a
/// message that has no body.
/// </summary>
public sealed class RawMessage
{
    private RawMessage(ReadOnlyMemory<byte> bytes, List<RawHeaderField> fields, int bodyStart)
    {
        Bytes = bytes;
        Fields = fields;
        Body = bytes[bodyStart..];
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The header fields, top to bottom.</summary>
    public IReadOnlyList<RawHeaderField> Fields { get; }

    /// <summary>Everything after the empty line that ends the header section.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    public static RawMessage Split(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        var fields = new List<RawHeaderField>();
        var position = 0;
        while (position < span.Length)
        {
            var rest = span[position..];
            var lineLength = rest.IndexOf("\r\n"u8);
            var next = lineLength < 0 ? span.Length : position + lineLength + 2;
            if (lineLength == 0)
            {
                return new RawMessage(bytes, fields, next);
            }

            if (rest[0] is (byte)' ' or (byte)'\t' && fields.Count > 0)
            {
                // A continuation line: it belongs to the field above.
                var field = fields[^1];
                fields[^1] = field with { Length = next - field.Start };
            }
            else
            {
                var line = lineLength < 0 ? rest : rest[..lineLength];
                var colon = line.IndexOf((byte)':');
                var name = colon > 0 ? Encoding.ASCII.GetString(line[..colon]).TrimEnd(' ', '\t') : string.Empty;
                fields.Add(new RawHeaderField(name, position, next - position));
            }

            position = next;
        }

        return new RawMessage(bytes, fields, span.Length);
    }

    /// <returns>Occurrences per field name (case-insensitive).</returns>
    public Dictionary<string, int> FieldCounts()
    {
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in Fields.Where(f => f.Name.Length > 0))
        {
            counts[field.Name] = counts.GetValueOrDefault(field.Name) + 1;
        }

        return counts;
    }

    public ReadOnlySpan<byte> BytesOf(RawHeaderField field) => Bytes.Span.Slice(field.Start, field.Length);
}
