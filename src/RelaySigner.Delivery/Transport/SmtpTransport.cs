using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Delivery.Routing;

namespace RelaySigner.Delivery.Transport;

/// <summary>
/// SMTP delivery with MailKit: one session per call, hosts and addresses tried in route order, opportunistic
/// STARTTLS, per-recipient outcomes. Connection-level failures (refused, timeout, TLS, drop before the transaction,
/// greeting refused, 4xx to MAIL FROM) move on to the next address; once a server has answered the transaction,
/// its answers decide.
/// </summary>
public sealed class SmtpTransport : ISmtpTransport
{
    private readonly ILogger _logger;
    private readonly SmtpConnector _connector;

    public SmtpTransport(IOptions<DeliveryOptions> options, ILogger<SmtpTransport> logger, TimeProvider timeProvider)
    {
        _logger = logger;
        _connector = new SmtpConnector(options.Value, logger, timeProvider);
    }

    public async Task<IReadOnlyList<RecipientOutcome>> DeliverAsync(
        QueueId id,
        string sender,
        IReadOnlyList<string> recipients,
        byte[] content,
        Destination route,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(route);

        var outcomes = new RecipientOutcomes(id, recipients.Count, _logger);

        // The envelope, as MailKit mailboxes. An address that cannot even be written as an RCPT TO never will be.
        var envelope = new List<EnvelopeRecipient>(recipients.Count);
        for (var i = 0; i < recipients.Count; i++)
        {
            if (TryMailbox(recipients[i], out var mailbox))
            {
                envelope.Add(new EnvelopeRecipient(i, recipients[i], mailbox));
            }
            else
            {
                outcomes.Decide(i, recipients[i],
                    OutcomeClassifier.Permanent("5.1.3", "bad recipient address syntax"), relay: null);
            }
        }

        if (envelope.Count == 0)
        {
            return outcomes.Completed();
        }

        if (!TryMailbox(sender, out var senderMailbox))
        {
            outcomes.DecideAll(envelope, OutcomeClassifier.Permanent("5.1.7", "bad sender address syntax"), relay: null);
            return outcomes.Completed();
        }

        // Parse a fresh message per call: MailKit may touch the MimeMessage while sending. The stored bytes are
        // the DKIM-signed serialization, so the message must go out exactly as parsed.
        using var contentStream = new MemoryStream(content, writable: false);
        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(contentStream, persistent: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            DeliveryLog.MessageUnparseable(_logger, id, FailureReason.Of(e));
            outcomes.DecideAll(envelope, OutcomeClassifier.Temporary("4.3.0", "stored message cannot be parsed"), relay: null);
            return outcomes.Completed();
        }

        using (message)
        {
            var transaction = new MailTransaction(senderMailbox, envelope, message, outcomes);
            SmtpReply? lastFailure = null;
            foreach (var relay in Relay.InRouteOrder(route))
            {
                var failure = await TrySessionAsync(id, relay, transaction, cancellationToken).ConfigureAwait(false);
                if (failure is null)
                {
                    return outcomes.Completed();
                }

                DeliveryLog.ConnectionFailed(_logger, id, relay.Host, relay.Ip, relay.Port, failure);
                lastFailure = failure;
            }

            lastFailure ??= OutcomeClassifier.Temporary("4.4.3", $"no address to deliver to for {route.Name}");
            outcomes.DecideAll(envelope, lastFailure, relay: null);
            return outcomes.Completed();
        }
    }

    /// <summary>
    /// One SMTP session with <paramref name="relay"/>. Returns null when the session decided every envelope
    /// recipient, or the (temporary) reason to try the next address.
    /// </summary>
    private async Task<SmtpReply?> TrySessionAsync(
        QueueId id, Relay relay, MailTransaction transaction, CancellationToken cancellationToken)
    {
        using var client = _connector.CreateClient(id, relay);
        var connectFailure = await _connector.ConnectAsync(id, client, relay, cancellationToken).ConfigureAwait(false);
        if (connectFailure is not null)
        {
            return connectFailure;
        }

        try
        {
            return await transaction.RunAsync(client, relay, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _connector.QuitAsync(id, client, relay, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool TryMailbox(string address, out MailboxAddress mailbox)
    {
        // "" is the null reverse path: MailKit writes MAIL FROM:<>.
        try
        {
            mailbox = new MailboxAddress(string.Empty, address ?? string.Empty);
            return true;
        }
        catch (ParseException)
        {
            mailbox = null!;
            return false;
        }
    }
}
