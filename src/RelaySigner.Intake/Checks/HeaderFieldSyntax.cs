namespace RelaySigner.Intake.Checks;

/// <summary>
/// Finds a header line that parsers split differently. A field name must be one or more printable ASCII characters
/// other than the colon (RFC 5322 §2.2 ftext, %d33-57 / %d59-126) directly followed by ':'. Anything else lets one
/// reader see a field another does not: MimeKit reads <c>From : x</c> as From, dkimpy and Python's email package
/// fail on <c>From\r\n : x</c>, MimeKit keeps <c>From\x0b:</c> as an unknown field, and a line holding only white
/// space is a continuation to dkimpy but a field of its own to MimeKit. A mail reader that shows a From the relay
/// did not check must never get a signature; so these are refused, not repaired (repairing would change signed bytes).
/// </summary>
public static class HeaderFieldSyntax
{
    /// <returns>The 1-based number of the first malformed line of the header block, or 0 when every line is well formed.</returns>
    public static int FirstMalformedLine(ReadOnlySpan<byte> content)
    {
        var number = 0;
        foreach (var line in HeaderBlock.Lines(content))
        {
            number++;
            var wellFormed = IsContinuation(line)
                ? number > 1 && line.ContainsAnyExcept((byte)' ', (byte)'\t') // continues a field, and holds more than white space
                : StartsWithFieldName(line);
            if (!wellFormed)
            {
                return number;
            }
        }

        return 0;
    }

    private static bool IsContinuation(ReadOnlySpan<byte> line) => !line.IsEmpty && line[0] is (byte)' ' or (byte)'\t';

    private static bool StartsWithFieldName(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        return colon > 0 && !line[..colon].ContainsAnyExceptInRange((byte)33, (byte)126);
    }
}
