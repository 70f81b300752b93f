namespace RelaySigner.Intake.Checks;

/// <summary>Finds a line longer than RFC 5322 §2.1.1 allows (998 octets before the CRLF).</summary>
public static class LineLengths
{
    public static bool HasOverlongLine(ReadOnlySpan<byte> content, int maxLength = SmtpOptions.MaxLineLength)
    {
        while (!content.IsEmpty)
        {
            var end = content.IndexOf("\r\n"u8);
            var length = end < 0 ? content.Length : end;
            if (length > maxLength)
            {
                return true;
            }

            content = end < 0 ? [] : content[(end + 2)..];
        }

        return false;
    }
}
