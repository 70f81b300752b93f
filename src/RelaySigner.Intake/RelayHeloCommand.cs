using SmtpServer;
using SmtpServer.Protocol;

namespace RelaySigner.Intake;

/// <summary>HELO with a plain greeting (see <see cref="RelayCommandFactory.Greeting"/>).</summary>
public sealed class RelayHeloCommand(string domainOrAddress) : HeloCommand(domainOrAddress)
{
    protected override string GetGreeting(ISessionContext context) => RelayCommandFactory.Greeting(context, DomainOrAddress);
}
