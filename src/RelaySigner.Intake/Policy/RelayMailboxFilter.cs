using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Dsn;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace RelaySigner.Intake.Policy;

/// <summary>
/// Relay control, the envelope sender and the recipient limit, at MAIL and RCPT: this relay accepts mail for any
/// destination, so the decision rests on the client alone, whatever the address looks like (<c>a%b@x</c>, source
/// routes, quoted local parts). Refusing here (not at DATA) lets a well-behaved client stop before sending the body.
/// </summary>
public sealed class RelayMailboxFilter(RelayAccessPolicy policy, IOptions<SmtpOptions> options, ILogger<RelayMailboxFilter> logger) : IMailboxFilter
{
    private const string RecipientsKey = "RelaySigner:Recipients";

    private const string RecipientDsnKey = "RelaySigner:RecipientDsn";

    private static readonly SmtpResponse RelayDenied = new(SmtpReplyCode.TransactionFailed, "5.7.1 Relay access denied");

    public static readonly SmtpResponse TooManyRecipients = new(SmtpReplyCode.InsufficientStorage, "4.5.3 Too many recipients");

    private readonly int _maxRecipients = options.Value.MaxRecipients;

    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken)
    {
        // MAIL starts a new transaction (RSET cannot lead to RCPT without one).
        context.Properties[RecipientsKey] = new HashSet<string>(EnvelopeRecipientComparer.Instance);
        context.Properties.Remove(RecipientDsnKey);

        var client = ClientAddress.Of(context);
        var user = context.Authentication.IsAuthenticated ? context.Authentication.User : null;
        var sender = from.AsAddress();
        // A client that may not relay at all is told so at RCPT, with the reason that applies to it.
        if (policy.MayRelay(client, user is not null) && !policy.MayUseEnvelopeSender(client, user, sender))
        {
            IntakeLog.SenderRefused(logger, client?.ToString(), user ?? string.Empty, sender);
            throw new SmtpResponseException(new SmtpResponse(SmtpReplyCode.MailboxUnavailable,
                $"5.7.1 this client may not use {from.Host} in MAIL FROM; only its own domains, their subdomains or <>"));
        }

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

        var accepted = context.Properties.TryGetValue(RecipientsKey, out var set) ? (HashSet<string>)set : [];
        var recipient = to.AsAddress();
        if (accepted.Contains(recipient))
        {
            // As Postfix does: 250, and the message goes to the recipient once (RelayMessageStore keeps one), so a
            // receiver's reply to copies cannot hold up the other recipients and the limit counts recipients.
            return Task.FromResult(true);
        }

        if (accepted.Count >= _maxRecipients)
        {
            IntakeLog.TooManyRecipients(logger, client?.ToString(), from.AsAddress());
            throw new SmtpResponseException(TooManyRecipients);
        }

        accepted.Add(recipient);
        if (Session.SessionGuard.Of(context)?.RecipientDsn is { } dsn)
        {
            // Only for recipients with NOTIFY or ORCPT: the common transaction allocates nothing for them.
            if (!context.Properties.TryGetValue(RecipientDsnKey, out var given))
            {
                context.Properties[RecipientDsnKey] = given = new Dictionary<string, RecipientDsn>(EnvelopeRecipientComparer.Instance);
            }

            ((Dictionary<string, RecipientDsn>)given).Add(recipient, dsn);
        }

        return Task.FromResult(true);
    }

    /// <summary>NOTIFY/ORCPT of this transaction's recipients that gave any, by address; null when none did.</summary>
    public static IReadOnlyDictionary<string, RecipientDsn>? RecipientDsnOf(ISessionContext context) =>
        context.Properties.TryGetValue(RecipientDsnKey, out var given) ? (Dictionary<string, RecipientDsn>)given : null;
}
