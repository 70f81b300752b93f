using System.Text;
using RelaySigner.Intake.Listening;
using SmtpServer.Protocol;

namespace RelaySigner.Intake.Session;

/// <summary>
/// The reply the client gets for an error SmtpServer raised, in place of what SmtpServer would write (see
/// <see cref="Listening.ReplyWriter"/>). SmtpServer appends ", N retry(ies) remaining." to every error, answers
/// every line its parser refuses with "502 Unrecognized command" (an unknown verb and an unparsable address
/// alike), and a command out of sequence with "501 expected …"; none carries an enhanced status code (RFC 3463).
/// The relay's own refusals (thrown by its filter, authenticator and rules) are sent as they are.
/// </summary>
public static class ErrorReplies
{
    public static readonly SmtpResponse BadSequence = new(SmtpReplyCode.BadSequence, "5.5.1 Bad sequence of commands");

    public static readonly SmtpResponse NotRecognized = new(SmtpReplyCode.CommandUnrecognized, "5.5.2 Command not recognized");

    public static readonly SmtpResponse NotImplemented = new(SmtpReplyCode.CommandNotImplemented, "5.5.1 Command not implemented");

    public static readonly SmtpResponse BadArguments = new(SmtpReplyCode.SyntaxError, "5.5.4 Syntax error in parameters or arguments");

    public static readonly SmtpResponse MailSyntax = new(SmtpReplyCode.SyntaxError, "5.5.4 Syntax: MAIL FROM:<address>");

    public static readonly SmtpResponse RcptSyntax = new(SmtpReplyCode.SyntaxError, "5.5.4 Syntax: RCPT TO:<address>");

    public static readonly SmtpResponse BadSender = new(SmtpReplyCode.SyntaxError, "5.1.7 Bad sender address syntax");

    public static readonly SmtpResponse BadRecipient = new(SmtpReplyCode.SyntaxError, "5.1.3 Bad recipient address syntax");

    /// <summary>
    /// RFC 5321 §4.5.1 asks a server that delivers mail to accept a bare <c>&lt;postmaster&gt;</c>; this relay only
    /// forwards and has no mailbox of its own, so it says so plainly rather than calling the address malformed.
    /// </summary>
    public static readonly SmtpResponse NoLocalPostmaster = new(SmtpReplyCode.MailboxUnavailable, "5.1.1 <postmaster>: this relay has no local mailboxes; write to postmaster@<domain>");

    /// <summary>RFC 4954 §4: 504 for a mechanism the server does not support.</summary>
    public static readonly SmtpResponse UnknownMechanism = new(SmtpReplyCode.CommandParameterNotImplemented, "5.5.4 Unrecognized authentication mechanism");

    /// <summary>SmtpServer keeps the refused line here (its SmtpSession's BufferKey).</summary>
    private const string UnparsedLineKey = "SmtpSession:Buffer";

    /// <summary>Commands of RFC 5321 and its common extensions that the relay does not offer.</summary>
    private static readonly string[] UnofferedVerbs = ["VRFY", "EXPN", "HELP", "TURN", "ETRN", "BDAT", "ATRN", "SEND", "SAML", "SOML"];

    private static readonly string[] OfferedVerbs = ["HELO", "EHLO", "DATA", "RSET", "NOOP", "QUIT", "STARTTLS"];

    public static SmtpResponse For(SmtpResponseException error)
    {
        var response = error.Response;
        if (error.Properties is { } properties && properties.TryGetValue(UnparsedLineKey, out var line) && line is byte[] bytes)
        {
            return ForUnparsedLine(Encoding.Latin1.GetString(bytes));
        }

        // The state machine's refusal, "501 expected HELO/EHLO": its code says syntax, RFC 5321 §4.3.2 says 503.
        if (response.ReplyCode == SmtpReplyCode.SyntaxError && response.Message?.StartsWith("expected ", StringComparison.Ordinal) == true)
        {
            return BadSequence;
        }

        // "221 The session has be cancelled.": SmtpServer ends sessions this way only when the relay stops.
        if (response.ReplyCode == SmtpReplyCode.ServiceClosingTransmissionChannel)
        {
            return IntakeDrain.ShuttingDown;
        }

        return response;
    }

    /// <summary>What to say about a line SmtpServer's parser refused, from its verb and what follows.</summary>
    public static SmtpResponse ForUnparsedLine(string line)
    {
        var space = line.IndexOf(' ');
        var verb = space < 0 ? line : line[..space];
        var arguments = space < 0 ? string.Empty : line[(space + 1)..].TrimStart(' ');
        if (Is(verb, "MAIL"))
        {
            return arguments.StartsWith("FROM:", StringComparison.OrdinalIgnoreCase) ? BadSender : MailSyntax;
        }

        if (Is(verb, "RCPT"))
        {
            if (!arguments.StartsWith("TO:", StringComparison.OrdinalIgnoreCase))
            {
                return RcptSyntax;
            }

            return arguments[3..].Trim(' ').Equals("<postmaster>", StringComparison.OrdinalIgnoreCase) ? NoLocalPostmaster : BadRecipient;
        }

        if (Is(verb, "AUTH"))
        {
            var mechanism = arguments.Split(' ')[0];
            return mechanism.Length == 0 ? BadArguments
                : Is(mechanism, "PLAIN") || Is(mechanism, "LOGIN") ? AuthLineScreen.Malformed
                : UnknownMechanism;
        }

        return OfferedVerbs.Any(v => Is(verb, v)) ? BadArguments
            : UnofferedVerbs.Any(v => Is(verb, v)) ? NotImplemented
            : NotRecognized;
    }

    private static bool Is(string verb, string expected) => verb.Equals(expected, StringComparison.OrdinalIgnoreCase);
}
