using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Utils;
using RelaySigner.Core;
using RelaySigner.Core.Dsn;
using RelaySigner.Core.Queue;
using RelaySigner.Core.Signing;

namespace RelaySigner.Delivery.Bounces;

/// <summary>
/// Writes the delivery status notification of one attempt (RFC 3464): a <c>multipart/report;
/// report-type=delivery-status</c> with a human-readable explanation, a <c>message/delivery-status</c> part
/// (Original-Envelope-Id when the client gave ENVID, Reporting-MTA, Arrival-Date, and per recipient Original-Recipient
/// when it gave ORCPT, Final-Recipient, Action, Status, Diagnostic-Code, Last-Attempt-Date, and Will-Retry-Until for a
/// delay) and the original message: its header only (<c>text/rfc822-headers</c>), or the whole message
/// (<c>message/rfc822</c>) in a report of failures when the client asked RET=FULL (RFC 3461 §4.3). It goes from
/// <c>&lt;&gt;</c> and <c>MAILER-DAEMON@</c> the reporting MTA's name to the original envelope sender, DKIM-signed when
/// the signer has a key aligned with that name, and is queued like any message.
/// </summary>
/// <remarks>
/// Never a report about a message whose sender is <c>&lt;&gt;</c> (RFC 5321 §4.5.5): that is how bounce loops are
/// avoided, so <see cref="Create"/> refuses it. MimeKit writes the MIME structure; the caller gets CRLF bytes.
/// </remarks>
public sealed class DeliveryStatusNotification(string reportingMta, TimeProvider time, IMessageSigner? signer = null)
{
    /// <summary>
    /// RET=FULL returns a message up to this size whole; a larger one only its header, as Postfix's bounce_size_limit
    /// does: a report several times the size of what bounced would be the next thing to bounce.
    /// </summary>
    public const int MaxReturnedMessageSize = 10 * 1024 * 1024;

    private static readonly FormatOptions Crlf = new() { NewLineFormat = NewLineFormat.Dos, EnsureNewLine = true };

    /// <param name="message">The message reported on; its envelope sender gets the report.</param>
    /// <param name="recipients">The recipients reported in this attempt, each with the reply that decided it.</param>
    /// <param name="willRetryUntil">When the relay gives up on a delayed recipient (Will-Retry-Until).</param>
    /// <exception cref="InvalidOperationException">The message's sender is the null reverse path.</exception>
    public GeneratedMessage Create(QueuedMessage message, IReadOnlyList<ReportedRecipient> recipients, DateTimeOffset? willRetryUntil = null)
    {
        if (string.IsNullOrEmpty(message.Sender))
        {
            throw new InvalidOperationException("A message from <> never gets a delivery status notification.");
        }

        var now = time.GetUtcNow();
        var failed = recipients.Any(r => r.Action == DsnAction.Failed);
        var delayed = recipients.Any(r => r.Action == DsnAction.Delayed);
        var report = new MimeMessage();
        report.From.Add(new MailboxAddress("Mail Delivery System", $"MAILER-DAEMON@{reportingMta}"));
        report.To.Add(MailboxAddress.Parse(message.Sender));
        report.Subject = failed ? "Undelivered Mail Returned to Sender"
            : delayed ? "Delayed Mail (still being retried)"
            : "Successful Mail Delivery Report";
        report.Date = now;
        report.MessageId = MimeUtils.GenerateMessageId(reportingMta);
        // RFC 3834: automatic replies must not answer this.
        report.Headers.Add("Auto-Submitted", "auto-replied");

        report.Body = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = Explanation(message, recipients) },
            StatusPart(message, recipients, now, willRetryUntil),
            Original(message, returnWhole: failed && message.Dsn?.Return == DsnReturn.Full && message.Content.Length <= MaxReturnedMessageSize),
        };

        using var output = new MemoryStream();
        report.WriteTo(Crlf, output);
        return new GeneratedMessage(new Envelope(string.Empty, [message.Sender]), Signed(output.ToArray()), WarnsOfDelay: delayed);
    }

    /// <summary>
    /// The report with a DKIM signature of the relay's own domain when the signer holds a key aligned with it; as it
    /// is otherwise (no key for that domain is the common case, and a report must still go out).
    /// </summary>
    private byte[] Signed(byte[] report)
    {
        if (signer is null)
        {
            return report;
        }

        var result = signer.Sign(report, new SenderIdentity(null, null, [reportingMta]));
        return result.Refusal is null && !result.IsUnsigned ? result.SignedMessage! : report;
    }

    private string Explanation(QueuedMessage message, IReadOnlyList<ReportedRecipient> recipients)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"This is the mail system at host {reportingMta}.\r\n\r\n");
        foreach (var group in recipients.GroupBy(r => r.Action))
        {
            text.Append(group.Key switch
            {
                DsnAction.Failed => "Your message could not be delivered to these recipients. It is attached below.\r\n\r\n",
                DsnAction.Delayed => "Your message could not be delivered yet to these recipients; the relay keeps trying. " +
                    "You do not need to send it again.\r\n\r\n",
                _ => "Your message was handed on to these recipients' mail servers, which send no delivery reports.\r\n\r\n",
            });
            foreach (var recipient in group)
            {
                text.Append(CultureInfo.InvariantCulture, $"<{recipient.Outcome.Recipient}>: {recipient.Outcome.Reply}\r\n");
            }

            text.Append("\r\n");
        }

        return text.Append(CultureInfo.InvariantCulture, $"Queue id: {message.Id}\r\n").ToString();
    }

    private MessageDeliveryStatus StatusPart(QueuedMessage message, IReadOnlyList<ReportedRecipient> recipients, DateTimeOffset now,
        DateTimeOffset? willRetryUntil)
    {
        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList();
        if (message.Dsn?.EnvelopeId is { } envelopeId)
        {
            // RFC 3464 §2.2.1: the ENVID as the client gave it, decoded from xtext (printable ASCII, checked at intake).
            perMessage.Add("Original-Envelope-Id", envelopeId);
        }

        perMessage.Add("Reporting-MTA", $"dns; {reportingMta}");
        perMessage.Add("X-RelaySigner-Queue-ID", message.Id.Value);
        perMessage.Add("Arrival-Date", DateUtils.FormatDate(message.ReceivedAt));
        status.StatusGroups.Add(perMessage);
        foreach (var (outcome, action) in recipients)
        {
            var reply = outcome.Reply ?? (action == DsnAction.Failed ? new SmtpReply(550, "5.0.0", "failed") : new SmtpReply(250, "2.0.0", "ok"));
            var group = new HeaderList();
            if (message.Dsn?.For(outcome.Recipient)?.OriginalRecipient is { } orcpt)
            {
                group.Add("Original-Recipient", orcpt);
            }

            group.Add("Final-Recipient", $"rfc822; {outcome.Recipient}");
            group.Add("Action", action.ToString().ToLowerInvariant());
            group.Add("Status", reply.EnhancedCode);
            if (outcome.Server is { } server)
            {
                group.Add("Remote-MTA", $"dns; {server.Host}");
            }

            group.Add("Diagnostic-Code", $"smtp; {reply.Code.ToString(CultureInfo.InvariantCulture)} {reply.EnhancedCode} {reply.Text}");
            group.Add("Last-Attempt-Date", DateUtils.FormatDate(now));
            if (action == DsnAction.Delayed && willRetryUntil is { } until)
            {
                group.Add("Will-Retry-Until", DateUtils.FormatDate(until));
            }

            status.StatusGroups.Add(group);
        }

        return status;
    }

    /// <summary>The stored message whole, or its header block (up to the first empty line) as it was sent.</summary>
    private static MimeEntity Original(QueuedMessage message, bool returnWhole)
    {
        var content = message.Content;
        if (returnWhole)
        {
            return new MimePart("message", "rfc822") { Content = new MimeContent(new MemoryStream(content, writable: false)) };
        }

        var end = content.AsSpan().IndexOf("\r\n\r\n"u8);
        var length = end < 0 ? content.Length : end + 2;
        return new MimePart("text", "rfc822-headers")
        {
            Content = new MimeContent(new MemoryStream(content, 0, length, writable: false)),
        };
    }
}
