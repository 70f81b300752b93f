using System.Text;
using SmtpServer.Protocol;

namespace RelaySigner.Intake.Session;

/// <summary>
/// Screens a raw MAIL or RCPT command line for control characters (CR, LF, NUL and the rest). It works on the raw
/// line because SmtpServer's parser gives no hook before parsing, answers some of these with a misleading
/// "502 Unrecognized command", and silently cuts a parameter off at a NUL and accepts the command.
/// </summary>
public static class EnvelopeLineScreen
{
    public static readonly SmtpResponse Refusal = new(SmtpReplyCode.SyntaxError, "5.5.4 Control characters are not allowed in addresses or parameters");

    /// <param name="line">One command line without its CRLF.</param>
    public static bool IsRefused(ReadOnlySpan<byte> line)
    {
        if (line.Length < 5 || !(Ascii.EqualsIgnoreCase(line[..5], "MAIL "u8) || Ascii.EqualsIgnoreCase(line[..5], "RCPT "u8)))
        {
            return false;
        }

        foreach (var b in line)
        {
            if (b < 0x20 || b == 0x7F)
            {
                return true;
            }
        }

        return false;
    }
}
