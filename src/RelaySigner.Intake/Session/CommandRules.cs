using SmtpServer;
using SmtpServer.Protocol;

namespace RelaySigner.Intake.Session;

/// <summary>
/// Checks a parsed command before SmtpServer executes it; a non-null result is the reply that refuses it. These are
/// the checks SmtpServer leaves out: AUTH only over TLS, a fresh EHLO after STARTTLS (RFC 3207 §4.2), AUTH before
/// MAIL where it is required, a SIZE= over the limit refused with an enhanced code (RFC 1870), and a malformed RET or
/// ENVID (RFC 3461, <see cref="Dsn.MailDsnParameters"/>). (Control characters in MAIL/RCPT are screened earlier, on the raw line:
/// <see cref="EnvelopeLineScreen"/>.)
/// </summary>
public static class CommandRules
{
    public static readonly SmtpResponse EhloAfterTls = new(SmtpReplyCode.BadSequence, "5.5.1 Send EHLO again after STARTTLS");

    public static readonly SmtpResponse AuthenticationRequired = new(SmtpReplyCode.AuthenticationRequired, "5.7.0 Authentication required");

    public static readonly SmtpResponse TooBig = new(SmtpReplyCode.SizeLimitExceeded, "5.3.4 Message size exceeds fixed maximum message size");

    /// <summary>AUTH on a listener that never offers it (RFC 4954 §4 lets a server not offer it; 502 as for any command not offered).</summary>
    public static readonly SmtpResponse AuthNotOffered = new(SmtpReplyCode.CommandNotImplemented, "5.5.1 AUTH is not offered on this port; it takes mail only for this server's own addresses");

    public static SmtpResponse? Check(ISessionContext context, SmtpCommand command, bool greetedSinceTls, bool offersAuth = true) => command switch
    {
        AuthCommand when !offersAuth => AuthNotOffered,
        AuthCommand when !context.Pipe.IsSecure => Auth.ConfiguredUserAuthenticator.EncryptionRequired,
        AuthCommand or MailCommand when !greetedSinceTls => EhloAfterTls,
        MailCommand when context.EndpointDefinition.AuthenticationRequired && !context.Authentication.IsAuthenticated => AuthenticationRequired,
        MailCommand mail when DeclaredSize(mail) > context.ServerOptions.MaxMessageSizeOptions.Length => TooBig,
        MailCommand mail when Dsn.MailDsnParameters.Parse(mail.Parameters).Refusal is { } refusal => refusal,
        _ => null,
    };

    private static long DeclaredSize(MailCommand mail) =>
        mail.Parameters.TryGetValue("SIZE", out var size) && long.TryParse(size, out var bytes) ? bytes : 0;
}
