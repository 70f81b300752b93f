using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace RelaySigner.Intake.Policy;

/// <summary>
/// Relay control and the recipient limit at RCPT: this relay accepts mail for any destination, so the decision
/// rests on the client alone, whatever the address looks like (<c>a%b@x</c>, source routes, quoted local parts).
/// Refusing at RCPT (not at DATA) lets a well-behaved client stop before sending the body.
/// </summary>
public sealed class RelayMailboxFilter(RelayAccessPolicy policy, IOptions<SmtpOptions> options, ILogger<RelayMailboxFilter> logger) : IMailboxFilter
{
    private const string RecipientCountKey = "RelaySigner:RecipientCount";

    private static readonly SmtpResponse RelayDenied = new(SmtpReplyCode.TransactionFailed, "5.7.1 Relay access denied");

    public static readonly SmtpResponse TooManyRecipients = new(SmtpReplyCode.InsufficientStorage, "4.5.3 Too many recipients");

    private readonly int _maxRecipients = options.Value.MaxRecipients;

    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken)
    {
        // MAIL starts a new transaction (RSET cannot lead to RCPT without one).
        context.Properties[RecipientCountKey] = 0;
        return Task.FromResult(true);
    }

    public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
    {
        var client = ClientAddress.Of(context);
        if (!policy.MayRelay(client, context.Authentication.IsAuthenticated))
        {
            IntakeLog.RelayDenied(logger, client?.ToString(), to.AsAddress());
            // SmtpServer sends a thrown response as is (with a retry count appended); returning false would give
            // a generic "550 mailbox unavailable" that hides the reason.
            throw new SmtpResponseException(RelayDenied);
        }

        var accepted = context.Properties.TryGetValue(RecipientCountKey, out var count) ? (int)count : 0;
        if (accepted >= _maxRecipients)
        {
            IntakeLog.TooManyRecipients(logger, client?.ToString(), from.AsAddress());
            throw new SmtpResponseException(TooManyRecipients);
        }

        context.Properties[RecipientCountKey] = accepted + 1;
        return Task.FromResult(true);
    }
}
