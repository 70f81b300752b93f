using Microsoft.Extensions.Logging;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace RelaySigner.Intake.Policy;

/// <summary>
/// Relay control at RCPT: this relay accepts mail for any destination, so the decision rests on the client alone.
/// Refusing at RCPT (not at DATA) lets a well-behaved client stop before sending the body.
/// </summary>
public sealed class RelayMailboxFilter(RelayAccessPolicy policy, ILogger<RelayMailboxFilter> logger) : IMailboxFilter
{
    private static readonly SmtpResponse RelayDenied = new(SmtpReplyCode.TransactionFailed, "5.7.1 Relay access denied");

    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
    {
        var client = ClientAddress.Of(context);
        if (policy.MayRelay(client, context.Authentication.IsAuthenticated))
        {
            return Task.FromResult(true);
        }

        IntakeLog.RelayDenied(logger, client?.ToString(), to.AsAddress());
        // SmtpServer sends a thrown response as is (with a retry count appended); returning false would give
        // a generic "550 mailbox unavailable" that hides the reason.
        throw new SmtpResponseException(RelayDenied);
    }
}
