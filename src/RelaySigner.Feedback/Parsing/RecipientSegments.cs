namespace RelaySigner.Feedback.Parsing;

/// <summary>
/// Splits a bounce's text into the words about each recipient: everything after each mention of it, up to the next
/// mention of another one. Bounces that list the recipients first and explain them further down (Exchange's
/// "Diagnostic information for administrators") get both pieces.
/// </summary>
internal static class RecipientSegments
{
    public static Dictionary<string, string> Split(string text, IReadOnlyList<string> recipients)
    {
        var distinct = recipients.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var mentions = new List<(int Index, string Recipient)>();
        foreach (var recipient in distinct)
        {
            for (var at = text.IndexOf(recipient, StringComparison.OrdinalIgnoreCase); at >= 0 && mentions.Count < 10_000;
                 at = text.IndexOf(recipient, at + recipient.Length, StringComparison.OrdinalIgnoreCase))
            {
                mentions.Add((at, recipient));
            }
        }

        mentions.Sort((a, b) => a.Index.CompareTo(b.Index));
        var segments = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < mentions.Count; i++)
        {
            var (index, recipient) = mentions[i];
            if (i > 0 && mentions[i - 1].Recipient.Equals(recipient, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var next = mentions.FindIndex(i + 1, other => !other.Recipient.Equals(recipient, StringComparison.OrdinalIgnoreCase));
            var piece = text[index..(next < 0 ? text.Length : mentions[next].Index)];
            segments[recipient] = segments.TryGetValue(recipient, out var before) ? before + "\n" + piece : piece;
        }

        // With one recipient every word is about it, also those written before its address.
        if (distinct.Count == 1)
        {
            segments[distinct[0]] = text;
        }

        return segments;
    }
}
