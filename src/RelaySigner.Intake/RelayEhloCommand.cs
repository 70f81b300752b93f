using RelaySigner.Intake.Auth;
using SmtpServer;
using SmtpServer.Protocol;

namespace RelaySigner.Intake;

/// <summary>
/// EHLO that offers AUTH only where it can succeed: over TLS, with users configured. SmtpServer is told to allow
/// AUTH without TLS so that an early AUTH reaches our check and gets 538 5.7.11 rather than a generic 500/503;
/// this keeps it from also advertising AUTH on plaintext. Its greeting is plain (<see cref="RelayCommandFactory.Greeting"/>),
/// and it offers ENHANCEDSTATUSCODES (RFC 2034): every reply of the relay carries one (see <see cref="Session.FixedReplies"/>),
/// and DSN (RFC 3461: RET and ENVID at MAIL, NOTIFY and ORCPT at RCPT, see <see cref="Dsn.RcptDsnParameters"/>).
/// </summary>
public sealed class RelayEhloCommand(string domainOrAddress, UserDirectory users) : EhloCommand(domainOrAddress)
{
    protected override string GetGreeting(ISessionContext context) => RelayCommandFactory.Greeting(context, DomainOrAddress);

    protected override IEnumerable<string> GetExtensions(ISessionContext context) =>
        base.GetExtensions(context)
            .Where(extension => !extension.StartsWith("AUTH", StringComparison.Ordinal) || (context.Pipe.IsSecure && users.HasUsers))
            .Append("DSN")
            .Append("ENHANCEDSTATUSCODES");
}
