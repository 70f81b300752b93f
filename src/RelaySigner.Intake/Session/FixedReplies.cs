using System.Text;
using SmtpServer.Protocol;

namespace RelaySigner.Intake.Session;

/// <summary>
/// The relay's wording for the replies SmtpServer writes itself, outside any error it raises (see
/// <see cref="ErrorReplies"/>): each gets its enhanced status code (RFC 3463), so the relay can offer
/// ENHANCEDSTATUSCODES (RFC 2034), which asks for one on every 2xx, 4xx and 5xx reply after EHLO. SmtpServer's
/// texts are fixed strings of its version 11.1.0; the replies that depend on the command (a 250 to MAIL or RCPT)
/// are told apart by the command it is executing. 3xx prompts (354, 334) carry no code and stay as they are,
/// but for the wording of 354.
/// </summary>
public static class FixedReplies
{
    private static readonly Entry[] Entries =
    [
        new(typeof(MailCommand), "250 Ok", "250 2.1.0 Ok"),
        new(typeof(RcptCommand), "250 Ok", "250 2.1.5 Ok"),
        new(null, "250 Ok", "250 2.0.0 Ok"),
        new(null, "221 bye", "221 2.0.0 Bye"),
        new(null, "220 ready when you are", "220 2.0.0 Ready to start TLS"),
        new(null, "235 go ahead", "235 2.7.0 Authentication successful"),
        new(null, "354 end with <CRLF>.<CRLF>", "354 End data with <CR><LF>.<CR><LF>"),
        new(typeof(MailCommand), "550 mailbox unavailable", "550 5.1.0 Sender address rejected"),
        new(typeof(RcptCommand), "550 mailbox unavailable", "550 5.1.1 Recipient address rejected"),
        new(null, "530 authentication required", "530 5.7.0 Authentication required"),
        new(null, "552 size limit exceeded", "552 5.3.4 Message size exceeds fixed maximum message size"),
        new(null, "535 authentication failed", "535 5.7.8 Authentication credentials invalid"),
        new(null, "554 no valid recipients given", "554 5.5.1 No valid recipients"),
        // What DataCommand writes when the message store throws: never a permanent failure for a message the
        // relay could not take (the store answers 451 itself; this is the net under it).
        new(null, "554 ", "451 4.3.0 Internal error, try again later"),
        // SmtpServer's words when its session is cancelled, which happens only when the relay stops.
        new(null, "221 The session has be cancelled.", "421 4.3.2 Service shutting down, try again later"),
    ];

    /// <param name="executing">The command SmtpServer is executing (or executed last).</param>
    /// <param name="output">What SmtpServer flushed: one reply line, CRLF included, for every reply listed here.</param>
    /// <returns>The relay's line (CRLF included) in its place; null to send <paramref name="output"/> as it is.</returns>
    public static byte[]? For(SmtpCommand? executing, ReadOnlySpan<byte> output)
    {
        foreach (var entry in Entries)
        {
            if (output.SequenceEqual(entry.Written) && (entry.Command is null || entry.Command.IsInstanceOfType(executing)))
            {
                return entry.Replacement;
            }
        }

        return null;
    }

    private sealed class Entry(Type? command, string written, string replacement)
    {
        public Type? Command { get; } = command;

        public byte[] Written { get; } = Encoding.ASCII.GetBytes(written + "\r\n");

        public byte[] Replacement { get; } = Encoding.ASCII.GetBytes(replacement + "\r\n");
    }
}
