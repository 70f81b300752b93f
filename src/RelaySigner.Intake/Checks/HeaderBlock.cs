namespace RelaySigner.Intake.Checks;

/// <summary>The header block of a message with CRLF line endings: everything up to the first empty line.</summary>
public static class HeaderBlock
{
    /// <summary>Length of the header block including the CRLF of its last field (the whole message if there is no body).</summary>
    public static int Length(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("\r\n"u8))
        {
            return 0;
        }

        var end = content.IndexOf("\r\n\r\n"u8);
        return end < 0 ? content.Length : end + 2;
    }

    /// <summary>How many fields named Received the header block has (continuation lines do not count).</summary>
    public static int CountReceived(ReadOnlySpan<byte> content)
    {
        var headers = content[..Length(content)];
        var count = 0;
        while (!headers.IsEmpty)
        {
            if (headers.Length >= 9 && System.Text.Ascii.EqualsIgnoreCase(headers[..9], "Received:"u8))
            {
                count++;
            }

            var end = headers.IndexOf("\r\n"u8);
            headers = end < 0 ? [] : headers[(end + 2)..];
        }

        return count;
    }
}
