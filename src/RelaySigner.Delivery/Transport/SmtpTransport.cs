using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using RelaySigner.Core;
using RelaySigner.Core.Dsn;
using RelaySigner.Core.Delivery;
using RelaySigner.Core.Queue;
using RelaySigner.Delivery.Routing;

namespace RelaySigner.Delivery.Transport;

/// <summary>
/// SMTP delivery with MailKit: one session per call, hosts and addresses tried in route order, opportunistic
/// STARTTLS, per-recipient outcomes. Connection-level failures (refused, timeout, TLS, drop before the transaction,
/// greeting refused, 4xx to MAIL FROM) move on to the next address; once a server has answered the transaction,
/// its answers decide.
/// </summary>
public sealed class SmtpTransport : ISmtpTransport, IDisposable
{
    private readonly ILogger _logger;
    private readonly SmtpConnector _connector;
    private readonly DestinationLimits _limits;
    private readonly HashSet<string> _requireTls;
    private readonly NetworkCredential? _smarthostCredentials;
    private readonly SmtpSessionPool _sessions;
    private readonly IReturnPaths? _returnPaths;

    public SmtpTransport(IOptions<DeliveryOptions> options, ILogger<SmtpTransport> logger, TimeProvider timeProvider, DestinationLimits limits,
        IReturnPaths? returnPaths = null)
    {
        _logger = logger;
        _returnPaths = returnPaths is { Enabled: true } ? returnPaths : null;
        _connector = new SmtpConnector(options.Value, logger, timeProvider);
        _limits = limits;
        _sessions = new SmtpSessionPool(options.Value.ConnectionReuseTime, timeProvider);
        _smarthostCredentials = string.IsNullOrEmpty(options.Value.SmarthostUser)
            ? null
            : new NetworkCredential(options.Value.SmarthostUser, options.Value.SmarthostPassword);
        _requireTls = new HashSet<string>(options.Value.RequireTlsDomains.Select(d => d.Trim().TrimEnd('.')), StringComparer.OrdinalIgnoreCase);
    }

    public async Task<IReadOnlyList<RecipientOutcome>> DeliverAsync(
        QueueId id,
        string sender,
        IReadOnlyList<string> recipients,
        IReadOnlyList<int> recipientIndexes,
        byte[] content,
        Destination route,
        DsnRequest? dsn,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        ArgumentNullException.ThrowIfNull(recipientIndexes);
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
            var transactions = Transactions(id, senderMailbox, envelope, recipientIndexes, message, outcomes, dsn);
            var lastFailure = await _limits.RunAsync(
                route.Name, token => TryRouteAsync(id, route, transactions, token), cancellationToken).ConfigureAwait(false);
            if (lastFailure is not null)
            {
                outcomes.DecideAll(transactions.Where(t => !t.IsDone).SelectMany(t => t.Envelope), lastFailure, relay: null);
            }

            return outcomes.Completed();
        }
    }

    /// <summary>
    /// One transaction for the whole envelope; or, when a return-path domain applies to the From domain, one per
    /// recipient, each with the VERP sender that names it (costs a look at the parsed From header and an HMAC per
    /// recipient; nothing when no return-path domain is configured). A message from &lt;&gt; keeps &lt;&gt;: nothing may
    /// bounce it (RFC 5321 §4.5.5).
    /// </summary>
    private List<MailTransaction> Transactions(
        QueueId id, MailboxAddress sender, List<EnvelopeRecipient> envelope, IReadOnlyList<int> recipientIndexes, MimeMessage message,
        RecipientOutcomes outcomes, DsnRequest? dsn)
    {
        if (_returnPaths is null || sender.Address.Length == 0 ||
            message.From.Mailboxes.FirstOrDefault()?.Domain is not { Length: > 0 } fromDomain ||
            _returnPaths.For(id, recipientIndexes[envelope[0].Index], fromDomain) is not { } first)
        {
            return [new MailTransaction(sender, envelope, message, outcomes, dsn)];
        }

        var transactions = new List<MailTransaction>(envelope.Count);
        for (var i = 0; i < envelope.Count; i++)
        {
            var returnPath = i == 0 ? first : _returnPaths.For(id, recipientIndexes[envelope[i].Index], fromDomain)!;
            transactions.Add(new MailTransaction(new MailboxAddress(string.Empty, returnPath), [envelope[i]], message, outcomes, dsn));
        }

        return transactions;
    }

    /// <summary>
    /// Tries the route's addresses in order until sessions decide every transaction (null), or returns the last
    /// connection-level failure for those left.
    /// </summary>
    private async ValueTask<SmtpReply?> TryRouteAsync(QueueId id, Destination route, List<MailTransaction> transactions, CancellationToken cancellationToken)
    {
        SmtpReply? lastFailure = null;
        // AUTH only ever goes to the smarthost, and only over TLS.
        var credentials = route.IsSmarthost ? _smarthostCredentials : null;
        var requireTls = credentials is not null || _requireTls.Contains(route.Name);
        foreach (var relay in DestinationAddress.InRouteOrder(route))
        {
            var failure = await TrySessionAsync(id, relay, transactions, requireTls, credentials, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                return null;
            }

            DeliveryLog.ConnectionFailed(_logger, id, relay.Host, relay.Ip, relay.Port, failure);
            lastFailure = failure;
        }

        return lastFailure ?? OutcomeClassifier.Temporary("4.4.3", $"no address to deliver to for {route.Name}");
    }

    /// <summary>
    /// One SMTP session with <paramref name="relay"/>, running the transactions not yet done one after the other.
    /// Returns null when the session decided every envelope recipient, or the (temporary) reason to try the next address.
    /// </summary>
    private async Task<SmtpReply?> TrySessionAsync(
        QueueId id, DestinationAddress relay, List<MailTransaction> transactions, bool requireTls, NetworkCredential? credentials,
        CancellationToken cancellationToken)
    {
        var key = new SessionKey(relay, requireTls, credentials is not null);
        var client = _sessions.TryTake(key);
        if (client is not null && !await client.TryResetAsync(cancellationToken).ConfigureAwait(false))
        {
            client.Dispose();
            client = null;
        }

        if (client is null)
        {
            client = _connector.CreateClient(id, relay);
            var openFailure = await OpenAsync(id, client, relay, requireTls, credentials, cancellationToken).ConfigureAwait(false);
            if (openFailure is not null)
            {
                client.Dispose();
                return openFailure;
            }
        }

        var keep = false;
        try
        {
            foreach (var transaction in transactions.Where(t => !t.IsDone))
            {
                var failure = await transaction.RunAsync(client, relay, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    return failure;
                }
            }

            keep = true;
            return null;
        }
        finally
        {
            if (keep && _sessions.Enabled && client.IsConnected)
            {
                _sessions.Return(key, client);
            }
            else
            {
                await _connector.QuitAsync(id, client, relay, cancellationToken).ConfigureAwait(false);
                client.Dispose();
            }
        }
    }

    /// <summary>Connects, checks TLS when required and authenticates at the smarthost; null when the session is ready.</summary>
    private async Task<SmtpReply?> OpenAsync(
        QueueId id, RecordingSmtpClient client, DestinationAddress relay, bool requireTls, NetworkCredential? credentials, CancellationToken cancellationToken)
    {
        var connectFailure = await _connector.ConnectAsync(id, client, relay, cancellationToken).ConfigureAwait(false);
        if (connectFailure is not null)
        {
            return connectFailure;
        }

        if (requireTls && !client.IsSecure)
        {
            // Defer rather than send in clear (as Postfix's "encrypt" level): another MX, or a later attempt, may
            // offer STARTTLS. Nothing of the message has been sent.
            await _connector.QuitAsync(id, client, relay, cancellationToken).ConfigureAwait(false);
            return OutcomeClassifier.Temporary("4.7.4", $"TLS is required for this destination, but {relay} did not offer STARTTLS");
        }

        if (credentials is not null)
        {
            try
            {
                await client.AuthenticateAsync(credentials, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Wrong or missing credentials are a configuration problem: keep the mail and retry.
                await _connector.QuitAsync(id, client, relay, cancellationToken).ConfigureAwait(false);
                return OutcomeClassifier.Temporary("4.7.0", $"authentication at smarthost {relay} failed: {FailureReason.Of(e)}");
            }
        }

        return null;
    }

    /// <summary>Closes the sessions kept open for reuse.</summary>
    public void Dispose() => _sessions.Dispose();

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
