using System.Buffers;
using System.Runtime.InteropServices;
using RelaySigner.Core;

namespace RelaySigner.Intake.Checks;

/// <summary>
/// What every listener checks of a message at end of DATA before anything reads it: line endings (SMTP smuggling),
/// NUL, line length, header size and syntax, mail loops. Shared by intake and the inbound listener.
/// </summary>
public static class MessageChecks
{
    private static readonly SmtpReply BareLineEnding =
        new(550, "5.6.0", "message contains a bare CR or LF; lines must end with CRLF (RFC 5321 section 2.3.8)");

    private static readonly SmtpReply NulCharacter =
        new(550, "5.6.0", "message contains a NUL character (RFC 5321 section 4.1.1.4; some servers end DATA at it)");

    private static readonly SmtpReply OverlongLine =
        new(550, "5.6.0", $"message has a line longer than {SmtpOptions.MaxLineLength} octets (RFC 5322 section 2.1.1)");

    private static readonly SmtpReply MailLoop =
        new(554, "5.4.6", $"more than {SmtpOptions.MaxReceivedHeaders} Received headers; mail loop suspected");

    /// <returns>The reply that refuses the message, or null when it passes.</returns>
    public static SmtpReply? Check(ReadOnlySpan<byte> content, int maxHeaderSize)
    {
        if (LineEndings.HasBareCrOrLf(content))
        {
            return BareLineEnding;
        }

        if (content.Contains((byte)0))
        {
            return NulCharacter;
        }

        if (LineLengths.HasOverlongLine(content))
        {
            return OverlongLine;
        }

        if (HeaderBlock.Length(content) > maxHeaderSize)
        {
            return new SmtpReply(552, "5.3.4", $"header block larger than {maxHeaderSize} octets");
        }

        var malformedLine = HeaderFieldSyntax.FirstMalformedLine(content);
        if (malformedLine > 0)
        {
            return new SmtpReply(550, "5.6.0",
                $"header line {malformedLine} is malformed: a field name is printable ASCII without white space, directly followed by ':' (RFC 5322 section 2.2)");
        }

        return HeaderBlock.CountReceived(content) > SmtpOptions.MaxReceivedHeaders ? MailLoop : null;
    }

    /// <summary>
    /// The data with the CRLF that ends its last line, which SmtpServer leaves out of the buffer it hands over. When
    /// the buffer is one piece of an array that goes on with that CRLF (the start of the end-of-data marker, as
    /// <see cref="Listening.SessionPipeReader"/> holds it when no line was dot-stuffed), that array is used as it
    /// is, valid for the whole call; otherwise the data is copied into a new array.
    /// </summary>
    public static ReadOnlyMemory<byte> WithFinalLineEnding(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment && MemoryMarshal.TryGetArray(buffer.First, out var data) &&
            data.Offset + data.Count + 2 <= data.Array!.Length &&
            data.Array.AsSpan(data.Offset + data.Count, 2).SequenceEqual("\r\n"u8))
        {
            return data.Array.AsMemory(data.Offset, data.Count + 2);
        }

        var content = GC.AllocateUninitializedArray<byte>((int)buffer.Length + 2);
        buffer.CopyTo(content);
        content[^2] = (byte)'\r';
        content[^1] = (byte)'\n';
        return content;
    }
}
