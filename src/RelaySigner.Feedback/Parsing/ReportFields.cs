using System.Text;
using MimeKit;

namespace RelaySigner.Feedback.Parsing;

/// <summary>
/// The field groups of a message/delivery-status or message/feedback-report part: header-style <c>Name: value</c> lines,
/// folded lines joined, groups separated by blank lines (RFC 3464 §2.1). Read by hand so that one tolerant reader
/// serves both report types and RFC 6533's message/global-delivery-status, and a line without a colon or a group with
/// stray whitespace costs only that line.
/// </summary>
internal static class ReportFields
{
    public static List<List<KeyValuePair<string, string>>> Parse(string text)
    {
        var groups = new List<List<KeyValuePair<string, string>>>();
        var group = new List<KeyValuePair<string, string>>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                if (group.Count > 0)
                {
                    groups.Add(group);
                    group = [];
                }
            }
            else if (char.IsWhiteSpace(line[0]) && group.Count > 0)
            {
                var last = group[^1];
                group[^1] = new(last.Key, last.Value + " " + line.Trim());
            }
            else if (line.IndexOf(':') is var colon and > 0)
            {
                group.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        if (group.Count > 0)
        {
            groups.Add(group);
        }

        return groups;
    }

    public static string? Get(this List<KeyValuePair<string, string>> group, string name) =>
        group.FirstOrDefault(field => field.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The decoded content of a leaf part as text, at most <paramref name="maxChars"/> characters.</summary>
    public static string ContentText(MimeEntity entity, int maxChars)
    {
        if (entity is TextPart text)
        {
            var content = text.Text ?? "";
            return content.Length > maxChars ? content[..maxChars] : content;
        }

        if (entity is not MimePart { Content: not null } part)
        {
            return "";
        }

        using var buffer = new MemoryStream();
        part.Content.DecodeTo(buffer);
        var length = (int)Math.Min(buffer.Length, maxChars);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, length);
    }
}
