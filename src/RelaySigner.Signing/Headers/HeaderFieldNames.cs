using System.Text;

namespace RelaySigner.Signing.Headers;

/// <summary>
/// Counts the header fields of a message by name, straight from its bytes. MimeKit's <c>MimeMessage.Headers</c>
/// does not show the top-level Content-* fields (they move to the body entity), but a verifier sees every field
/// in the header section, and that is what the oversigning count must match.
/// </summary>
public static class HeaderFieldNames
{
    /// <returns>Occurrences per field name (case-insensitive) in the header section, which ends at the first empty line.</returns>
    public static Dictionary<string, int> Count(ReadOnlySpan<byte> message)
    {
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        while (!message.IsEmpty)
        {
            var end = message.IndexOf("\r\n"u8);
            var line = end < 0 ? message : message[..end];
            if (line.IsEmpty)
            {
                break;
            }

            // Continuation lines start with white space; a field line is "name:".
            var colon = line.IndexOf((byte)':');
            if (line[0] is not ((byte)' ' or (byte)'\t') && colon > 0)
            {
                var name = Encoding.ASCII.GetString(line[..colon]).TrimEnd();
                counts[name] = counts.GetValueOrDefault(name) + 1;
            }

            message = end < 0 ? [] : message[(end + 2)..];
        }

        return counts;
    }
}
