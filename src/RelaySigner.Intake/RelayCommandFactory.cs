using RelaySigner.Intake.Auth;
using SmtpServer.Protocol;

namespace RelaySigner.Intake;

/// <summary>SmtpServer's commands, with our HELO and EHLO (see <see cref="RelayEhloCommand"/>, <see cref="RelayHeloCommand"/>).</summary>
public sealed class RelayCommandFactory(UserDirectory users) : SmtpCommandFactory
{
    public override SmtpCommand CreateHelo(string domainOrAddress) => new RelayHeloCommand(domainOrAddress);

    public override SmtpCommand CreateEhlo(string domainOrAddress) => new RelayEhloCommand(domainOrAddress, users);

    /// <summary>The first line of the reply to HELO and EHLO: SmtpServer's own asks "haven't we met before?".</summary>
    internal static string Greeting(SmtpServer.ISessionContext context, string clientName) =>
        $"{context.ServerOptions.ServerName} Hello {clientName}";
}
