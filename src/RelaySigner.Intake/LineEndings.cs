using System.Buffers;

namespace RelaySigner.Intake;

/// <summary>
/// Finds a CR or LF that is not part of a CRLF pair. Such a message is refused, not repaired: a bare LF can carry
/// a second end-of-data marker to the next hop (SMTP smuggling), and repairing after signing would change the
/// signed bytes.
/// </summary>
public static class LineEndings
{
    private static readonly SearchValues<byte> CrOrLf = SearchValues.Create("\r\n"u8);

    public static bool HasBareCrOrLf(ReadOnlySpan<byte> content)
    {
        var offset = 0;
        while (true)
        {
            var index = content[offset..].IndexOfAny(CrOrLf);
            if (index < 0)
            {
                return false;
            }

            var at = offset + index;
            if (content[at] == (byte)'\n' || at + 1 >= content.Length || content[at + 1] != (byte)'\n')
            {
                return true;
            }

            offset = at + 2;
        }
    }
}
