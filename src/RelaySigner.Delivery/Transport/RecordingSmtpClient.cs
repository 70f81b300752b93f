using MailKit;
using MailKit.Net.Smtp;
using MimeKit;
using RelaySigner.Core.Dsn;

namespace RelaySigner.Delivery.Transport;

/// <summary>
/// An <see cref="SmtpClient"/> that records the reply to every RCPT TO instead of giving up at the first rejected
/// recipient, so the message still goes to the accepted ones, and that never re-encodes the message it sends.
/// </summary>
/// <remarks>
/// Stock MailKit throws at the first rejected RCPT and sends nothing. With the override, a transaction where every
/// RCPT was rejected ends in <see cref="SmtpErrorCode.MessageNotAccepted"/> with a synthesized 554, whatever the
/// real replies were: check <see cref="NoRecipientsAccepted"/> and use <see cref="RecipientReplies"/> instead.
/// One transaction at a time; call <see cref="ResetRecording"/> before reusing the connection for another.
/// </remarks>
public class RecordingSmtpClient : SmtpClient
{
    private readonly Dictionary<MailboxAddress, RcptReply> _replies = new(ReferenceEqualityComparer.Instance);

    /// <summary>The reply to RCPT TO for each recipient that got one, keyed by the instance passed to Send.</summary>
    public IReadOnlyDictionary<MailboxAddress, RcptReply> RecipientReplies => _replies;

    /// <summary>True when the last transaction had every RCPT TO rejected (and so sent no DATA).</summary>
    public bool NoRecipientsAccepted { get; private set; }

    private readonly Dictionary<MailboxAddress, RecipientDsn> _recipientDsn = new(ReferenceEqualityComparer.Instance);
    private string? _envelopeId;

    public void ResetRecording()
    {
        _replies.Clear();
        NoRecipientsAccepted = false;
        _recipientDsn.Clear();
        _envelopeId = null;
        DeliveryStatusNotificationType = DeliveryStatusNotificationType.Unspecified;
    }

    /// <summary>
    /// Hands the message's DSN parameters (RFC 3461) to the next transaction, for a server that offers DSN: RET and
    /// ENVID on MAIL FROM, NOTIFY on RCPT TO. MailKit encodes ENVID as xtext itself. Its ORCPT is not ours to set
    /// (not virtual in MailKit 4.18): beside a NOTIFY it writes <c>ORCPT=rfc822;</c> the recipient, which RFC 3461
    /// §5.2.1(d) allows where the client gave none; a client's own ORCPT goes into the relay's own DSNs only.
    /// </summary>
    internal void PassOn(DsnRequest dsn, IReadOnlyList<EnvelopeRecipient> recipients)
    {
        _envelopeId = dsn.EnvelopeId;
        DeliveryStatusNotificationType = dsn.Return switch
        {
            DsnReturn.Full => DeliveryStatusNotificationType.Full,
            DsnReturn.Headers => DeliveryStatusNotificationType.HeadersOnly,
            _ => DeliveryStatusNotificationType.Unspecified,
        };
        foreach (var recipient in recipients)
        {
            if (dsn.For(recipient.Address) is { } given)
            {
                _recipientDsn[recipient.Mailbox] = given;
            }
        }
    }

    protected override string? GetEnvelopeId(MimeMessage message) => _envelopeId;

    protected override MailKit.DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox) =>
        _recipientDsn.GetValueOrDefault(mailbox)?.Notify is { } notify ? (MailKit.DeliveryStatusNotification)Notify(notify) : null;

    private static int Notify(DsnNotify notify)
    {
        var flags = 0;
        flags |= notify.HasFlag(DsnNotify.Never) ? (int)MailKit.DeliveryStatusNotification.Never : 0;
        flags |= notify.HasFlag(DsnNotify.Success) ? (int)MailKit.DeliveryStatusNotification.Success : 0;
        flags |= notify.HasFlag(DsnNotify.Failure) ? (int)MailKit.DeliveryStatusNotification.Failure : 0;
        flags |= notify.HasFlag(DsnNotify.Delay) ? (int)MailKit.DeliveryStatusNotification.Delay : 0;
        return flags;
    }

    /// <summary>
    /// Readies a kept-open session for the next message: RSET (RFC 5321 §4.1.1.5) and a fresh recording. False when the
    /// server no longer answers 250 (it closed the idle connection, timed out, ...): open a new session instead.
    /// </summary>
    public async Task<bool> TryResetAsync(CancellationToken cancellationToken)
    {
        ResetRecording();
        try
        {
            var reply = await SendCommandAsync("RSET", cancellationToken).ConfigureAwait(false);
            return reply.StatusCode == SmtpStatusCode.Ok;
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException
                                       or InvalidOperationException or ObjectDisposedException)
        {
            return false;
        }
    }

    protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        _replies[mailbox] = new RcptReply((int)response.StatusCode, response.Response, Accepted: true);
        base.OnRecipientAccepted(message, mailbox, response);
    }

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        // Do not call base: it throws and aborts the whole transaction.
        _replies[mailbox] = new RcptReply((int)response.StatusCode, response.Response, Accepted: false);
    }

    protected override void OnNoRecipientsAccepted(MimeMessage message)
    {
        // MailKit throws its own MessageNotAccepted (554) right after this; note why, so the caller can decide
        // from the recorded per-recipient replies.
        NoRecipientsAccepted = true;
        base.OnNoRecipientsAccepted(message);
    }

    /// <summary>
    /// Never re-encodes: the stored bytes are already DKIM-signed, and any change would break the signature
    /// (bytes are sacred). MailKit itself skips preparation for messages carrying a DKIM-Signature; this makes
    /// it unconditional. As in MailKit's DKIM path, headers are not rewritten for SMTPUTF8.
    /// </summary>
    protected override void Prepare(FormatOptions options, MimeMessage message, EncodingConstraint constraint, int maxLineLength)
    {
        options.International = false;
    }
}
