using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Inbound;
using RelaySigner.Intake.Policy;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace RelaySigner.Intake.Inbound;

/// <summary>
/// RCPT on the inbound listener: accepted only when a registered <see cref="IInboundRecipientHandler"/> owns the
/// address, whoever the client is; anything else gets 550 5.7.1, so the listener never relays. Any sender is
/// accepted, <c>&lt;&gt;</c> above all: that is what bounces carry.
/// </summary>
public sealed class InboundMailboxFilter(
    IEnumerable<IInboundRecipientHandler> handlers, IOptions<SmtpOptions> options, ILogger<InboundMailboxFilter> logger) : IMailboxFilter
{
    private const string RecipientsKey = "RelaySigner:InboundRecipients";

    private readonly IInboundRecipientHandler[] _handlers = [.. handlers];
    private readonly int _maxRecipients = options.Value.MaxRecipients;

    /// <summary>The recipients accepted in the current transaction, in RCPT order, each once.</summary>
    internal static IReadOnlyCollection<string> Accepted(ISessionContext context) =>
        context.Properties.TryGetValue(RecipientsKey, out var set) ? (HashSet<string>)set : [];

    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken)
    {
        context.Properties[RecipientsKey] = new HashSet<string>(EnvelopeRecipientComparer.Instance);
        return Task.FromResult(true);
    }

    public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
    {
        var recipient = to.AsAddress();
        if (!_handlers.Any(handler => handler.Owns(recipient)))
        {
            InboundLog.RecipientRefused(logger, ClientAddress.Of(context)?.ToString(), from.AsAddress(), recipient);
            throw new SmtpResponseException(new SmtpResponse(SmtpReplyCode.MailboxUnavailable,
                $"5.7.1 <{recipient}>: this server takes mail only for its own addresses; relay access denied"));
        }

        var accepted = (HashSet<string>)Accepted(context);
        if (accepted.Count >= _maxRecipients && !accepted.Contains(recipient))
        {
            throw new SmtpResponseException(RelayMailboxFilter.TooManyRecipients);
        }

        accepted.Add(recipient);
        return Task.FromResult(true);
    }
}
