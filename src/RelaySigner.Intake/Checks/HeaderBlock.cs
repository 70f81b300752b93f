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

    /// <summary>The lines of the header block, each without its CRLF (continuation lines are lines of their own).</summary>
    public static LineEnumerator Lines(ReadOnlySpan<byte> content) => new(content[..Length(content)]);

    /// <summary>How many fields named Received the header block has (continuation lines do not count).</summary>
    public static int CountReceived(ReadOnlySpan<byte> content)
    {
        var count = 0;
        foreach (var line in Lines(content))
        {
            if (line.Length >= 9 && System.Text.Ascii.EqualsIgnoreCase(line[..9], "Received:"u8))
            {
                count++;
            }
        }

        return count;
    }

    public ref struct LineEnumerator(ReadOnlySpan<byte> headers)
    {
        private ReadOnlySpan<byte> _rest = headers;

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly LineEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_rest.IsEmpty)
            {
                return false;
            }

            var end = _rest.IndexOf("\r\n"u8);
            Current = end < 0 ? _rest : _rest[..end];
            _rest = end < 0 ? [] : _rest[(end + 2)..];
            return true;
        }
    }
}
