using Microsoft.Extensions.Logging;
using RelaySigner.Intake.Policy;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;

namespace RelaySigner.Intake.Auth;

/// <summary>
/// Checks AUTH PLAIN/LOGIN credentials against <see cref="UserDirectory"/>. Replaces SmtpServer's default
/// authenticator, which accepts any password. Refuses outright on a connection without TLS (538 5.7.11), and
/// answers failures with 535 5.7.8 until the client's IP has failed too often, then with 421 4.7.0.
/// </summary>
public sealed class ConfiguredUserAuthenticator(
    UserDirectory users,
    AuthFailureThrottle throttle,
    ILogger<ConfiguredUserAuthenticator> logger) : IUserAuthenticator
{
    public static readonly SmtpResponse EncryptionRequired =
        new((SmtpReplyCode)538, "5.7.11 Encryption required for requested authentication mechanism");

    private static readonly SmtpResponse InvalidCredentials =
        new(SmtpReplyCode.AuthenticationFailed, "5.7.8 Authentication credentials invalid");

    private static readonly SmtpResponse TooManyFailures =
        new(SmtpReplyCode.ServiceUnavailable, "4.7.0 Too many failed authentication attempts, try again later");

    public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
    {
        var client = ClientAddress.Of(context);
        if (!context.Pipe.IsSecure)
        {
            throw new SmtpResponseException(EncryptionRequired);
        }

        if (throttle.IsBlocked(client))
        {
            IntakeLog.AuthThrottled(logger, client?.ToString());
            throw new SmtpResponseException(TooManyFailures, quit: true);
        }

        var known = users.Find(user ?? string.Empty);
        if (PasswordHash.Verify(password ?? string.Empty, known?.PasswordHash ?? users.UnknownUserHash) && known is not null)
        {
            IntakeLog.AuthSucceeded(logger, client?.ToString(), known.Name);
            return Task.FromResult(true);
        }

        // The attempted name is not logged: it is often a password typed into the wrong field.
        IntakeLog.AuthFailed(logger, client?.ToString());
        if (throttle.RecordFailure(client))
        {
            throw new SmtpResponseException(TooManyFailures, quit: true);
        }

        throw new SmtpResponseException(InvalidCredentials);
    }
}
