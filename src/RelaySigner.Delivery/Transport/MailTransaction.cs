using MailKit;
using MailKit.Net.Smtp;
using MimeKit;
using RelaySigner.Core;
using RelaySigner.Core.Dsn;
using RelaySigner.Core.Queue;

namespace RelaySigner.Delivery.Transport;

/// <summary>
/// One message's mail transaction (MAIL FROM, RCPT TO, DATA) on a connected session, and the mapping of the
/// server's answers to one outcome per envelope recipient. A 4xx to MAIL FROM decides nothing and sends the caller
/// to the next address; once the server has answered otherwise, its answers decide every recipient.
/// </summary>
internal sealed class MailTransaction
{
    private readonly MailboxAddress _sender;
    private readonly IReadOnlyList<EnvelopeRecipient> _envelope;
    private readonly MimeMessage _message;
    private readonly RecipientOutcomes _outcomes;
    private readonly DsnRequest? _dsn;

    public MailTransaction(
        MailboxAddress sender, IReadOnlyList<EnvelopeRecipient> envelope, MimeMessage message, RecipientOutcomes outcomes,
        DsnRequest? dsn = null)
    {
        _sender = sender;
        _envelope = envelope;
        _message = message;
        _outcomes = outcomes;
        _dsn = dsn;
    }

    /// <summary>The recipients of this transaction.</summary>
    public IReadOnlyList<EnvelopeRecipient> Envelope => _envelope;

    /// <summary>True once a run decided every recipient of this transaction.</summary>
    public bool IsDone { get; private set; }

    /// <summary>
    /// Runs the transaction on <paramref name="client"/>. Returns null when every envelope recipient has been
    /// decided, or the (temporary) reason to try the next address.
    /// </summary>
    public async Task<SmtpReply?> RunAsync(RecordingSmtpClient client, DestinationAddress relay, CancellationToken cancellationToken)
    {
        var failure = await DecideAsync(client, relay, cancellationToken).ConfigureAwait(false);
        IsDone = failure is null;
        return failure;
    }

    private async Task<SmtpReply?> DecideAsync(RecordingSmtpClient client, DestinationAddress relay, CancellationToken cancellationToken)
    {
        // Without SMTPUTF8 an address with a UTF-8 local part cannot be sent (RFC 6531 §3.4): bounce it, as Postfix
        // does, rather than let MailKit send raw UTF-8 to a server that did not ask for it. Decided only once this
        // session's transaction is over (a 4xx to MAIL FROM sends us to the next host, which may offer SMTPUTF8).
        var server = new RemoteServer(relay.Host, relay.Ip, relay.Port, client.IsSecure ? client.SslProtocol.ToString() : null);
        var sendable = _envelope;
        IReadOnlyList<EnvelopeRecipient> notSendable = [];
        if (!client.Capabilities.HasFlag(SmtpCapabilities.UTF8))
        {
            if (_sender.IsInternational)
            {
                _outcomes.DecideAll(_envelope, SmtpUtf8Required(relay), server);
                return null;
            }

            notSendable = _envelope.Where(r => r.Mailbox.IsInternational).ToList();
            if (notSendable.Count == _envelope.Count)
            {
                _outcomes.DecideAll(_envelope, SmtpUtf8Required(relay), server);
                return null;
            }

            if (notSendable.Count > 0)
            {
                sendable = _envelope.Where(r => !r.Mailbox.IsInternational).ToList();
            }
        }

        client.ResetRecording();
        // RFC 3461 §5.2.1: to a server that offers DSN, the client's parameters go on with the message.
        var passesDsn = _dsn is not null && client.Capabilities.HasFlag(SmtpCapabilities.Dsn);
        if (passesDsn)
        {
            client.PassOn(_dsn!, sendable);
        }

        SmtpReply? accepted = null;     // the reply to the final "." when the message was taken
        SmtpReply? failure = null;      // what happened to recipients accepted at RCPT (or not yet asked)
        var senderRejected = false;     // MAIL FROM refused for good: the reply decides every recipient
        try
        {
            var text = await client.SendAsync(_message, _sender, sendable.Select(r => r.Mailbox), cancellationToken)
                .ConfigureAwait(false);
            accepted = OutcomeClassifier.ParseReply((int)SmtpStatusCode.Ok, text);
        }
        catch (SmtpCommandException e) when (e.ErrorCode == SmtpErrorCode.SenderNotAccepted)
        {
            var reply = OutcomeClassifier.ParseReply((int)e.StatusCode, e.Message);
            if (OutcomeClassifier.Classify(reply.Code) != RecipientStatus.Failed)
            {
                return reply; // 4xx to MAIL FROM (busy, greylisting, 421): another MX may take it now.
            }

            failure = reply;
            senderRejected = true;
        }
        catch (SmtpCommandException) when (client.NoRecipientsAccepted)
        {
            // MailKit's synthesized 554 "No recipients were accepted": the recorded RCPT replies decide.
        }
        catch (SmtpCommandException e)
        {
            // DATA refused, or the final "." answered with something other than 250.
            failure = OutcomeClassifier.ParseReply((int)e.StatusCode, e.Message);
        }
        catch (ServiceNotAuthenticatedException e)
        {
            failure = OutcomeClassifier.Temporary("4.7.0", $"{relay} requires authentication: {FailureReason.Of(e)}");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Drops, timeouts, protocol errors and anything unexpected: keep the message and try later. A drop
            // after the final "." may mean the server has it; at-least-once accepts the duplicate.
            failure = OutcomeClassifier.Temporary("4.4.2", $"lost connection with {relay}: {FailureReason.Of(e)}");
        }

        if (notSendable.Count > 0)
        {
            _outcomes.DecideAll(notSendable, SmtpUtf8Required(relay), server);
        }

        foreach (var recipient in sendable)
        {
            client.RecipientReplies.TryGetValue(recipient.Mailbox, out var rcpt);
            _outcomes.Decide(recipient, ReplyFor(rcpt, accepted, failure, senderRejected, relay), server,
                nextHopNotifies: client.Capabilities.HasFlag(SmtpCapabilities.Dsn));
        }

        return null;
    }

    /// <summary>
    /// The reply that decides one recipient: a permanent MAIL FROM refusal decides all; otherwise the recipient's own
    /// RCPT rejection; otherwise the reply to the final "." if it was accepted at RCPT; otherwise what went wrong.
    /// </summary>
    private static SmtpReply ReplyFor(RcptReply? rcpt, SmtpReply? accepted, SmtpReply? failure, bool senderRejected, DestinationAddress relay)
    {
        if (senderRejected)
        {
            return failure!;
        }

        if (rcpt is { Accepted: false })
        {
            return OutcomeClassifier.ParseReply(rcpt.Code, rcpt.Text);
        }

        if (accepted is not null && rcpt is { Accepted: true })
        {
            return accepted;
        }

        return failure ?? OutcomeClassifier.Temporary("4.4.2", $"no reply from {relay} to RCPT TO");
    }

    private static SmtpReply SmtpUtf8Required(DestinationAddress relay) =>
        OutcomeClassifier.Permanent("5.6.7", $"SMTPUTF8 is required, but was not offered by {relay}");
}
