using RelaySigner.Intake.Auth;
using SmtpServer.Protocol;

namespace RelaySigner.Intake;

/// <summary>SmtpServer's commands, with our EHLO (see <see cref="RelayEhloCommand"/>).</summary>
public sealed class RelayCommandFactory(UserDirectory users) : SmtpCommandFactory
{
    public override SmtpCommand CreateEhlo(string domainOrAddress) => new RelayEhloCommand(domainOrAddress, users);
}
