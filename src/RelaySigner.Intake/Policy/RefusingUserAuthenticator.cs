using SmtpServer;
using SmtpServer.Authentication;

namespace RelaySigner.Intake.Policy;

/// <summary>
/// For servers that offer no AUTH at all (the test sink): SmtpServer's default authenticator accepts any password, and AUTH PLAIN
/// is honoured even when not advertised, so without this anyone could authenticate and relay.
/// </summary>
public sealed class RefusingUserAuthenticator : IUserAuthenticator
{
    public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken) =>
        Task.FromResult(false);
}
