using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

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

    public void ResetRecording()
    {
        _replies.Clear();
        NoRecipientsAccepted = false;
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
