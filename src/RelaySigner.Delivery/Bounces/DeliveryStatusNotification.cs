using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Utils;
using RelaySigner.Core;
using RelaySigner.Core.Queue;

namespace RelaySigner.Delivery.Bounces;

/// <summary>
/// Writes the non-delivery report for recipients that failed for good (RFC 3464): a <c>multipart/report;
/// report-type=delivery-status</c> with a human-readable explanation, a <c>message/delivery-status</c> part
/// (Reporting-MTA, Arrival-Date, and per recipient Final-Recipient, Action: failed, Status, Diagnostic-Code,
/// Last-Attempt-Date) and the original message's headers (<c>text/rfc822-headers</c>: not its body, which may be large
/// and is the sender's anyway). It goes from <c>&lt;&gt;</c> to the original envelope sender and is queued like any
/// message.
/// </summary>
/// <remarks>
/// Never a report about a message whose sender is <c>&lt;&gt;</c> (RFC 5321 §4.5.5): that is how bounce loops are
/// avoided, so <see cref="Create"/> refuses it. MimeKit writes the MIME structure; the caller gets CRLF bytes.
/// </remarks>
public sealed class DeliveryStatusNotification(string reportingMta, TimeProvider time)
{
    /// <param name="message">The message whose recipients failed; its envelope sender gets the report.</param>
    /// <param name="failed">The recipients that failed in this attempt, each with the reply that decided it.</param>
    /// <exception cref="InvalidOperationException">The message's sender is the null reverse path.</exception>
    public GeneratedMessage Create(QueuedMessage message, IReadOnlyList<RecipientOutcome> failed)
    {
        if (string.IsNullOrEmpty(message.Sender))
        {
            throw new InvalidOperationException("A message from <> never gets a delivery status notification.");
        }

        var now = time.GetUtcNow();
        var report = new MimeMessage();
        report.From.Add(new MailboxAddress("Mail Delivery System", $"MAILER-DAEMON@{reportingMta}"));
        report.To.Add(MailboxAddress.Parse(message.Sender));
        report.Subject = "Undelivered Mail Returned to Sender";
        report.Date = now;
        report.MessageId = MimeUtils.GenerateMessageId(reportingMta);
        // RFC 3834: automatic replies must not answer this.
        report.Headers.Add("Auto-Submitted", "auto-replied");

        var multipart = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = Explanation(message, failed) },
            StatusPart(message, failed, now),
            OriginalHeaders(message.Content),
        };
        report.Body = multipart;

        using var output = new MemoryStream();
        report.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos, EnsureNewLine = true }, output);
        return new GeneratedMessage(new Envelope(string.Empty, [message.Sender]), output.ToArray());
    }

    private string Explanation(QueuedMessage message, IReadOnlyList<RecipientOutcome> failed)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"This is the mail system at host {reportingMta}.\r\n\r\n")
            .Append("Your message could not be delivered to one or more recipients. It is attached below (headers only).\r\n\r\n")
            .Append(CultureInfo.InvariantCulture, $"Queue id: {message.Id}\r\n\r\n");
        foreach (var outcome in failed)
        {
            text.Append(CultureInfo.InvariantCulture, $"<{outcome.Recipient}>: {outcome.Reply}\r\n");
        }

        return text.ToString();
    }

    private MessageDeliveryStatus StatusPart(QueuedMessage message, IReadOnlyList<RecipientOutcome> failed, DateTimeOffset now)
    {
        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList
        {
            { "Reporting-MTA", $"dns; {reportingMta}" },
            { "X-RelaySigner-Queue-ID", message.Id.Value },
            { "Arrival-Date", DateUtils.FormatDate(message.ReceivedAt) },
        };
        status.StatusGroups.Add(perMessage);
        foreach (var outcome in failed)
        {
            var reply = outcome.Reply ?? new SmtpReply(550, "5.0.0", "failed");
            status.StatusGroups.Add(new HeaderList
            {
                { "Final-Recipient", $"rfc822; {outcome.Recipient}" },
                { "Action", "failed" },
                { "Status", reply.EnhancedCode },
                { "Diagnostic-Code", $"smtp; {reply.Code.ToString(CultureInfo.InvariantCulture)} {reply.EnhancedCode} {reply.Text}" },
                { "Last-Attempt-Date", DateUtils.FormatDate(now) },
            });
        }

        return status;
    }

    /// <summary>The header block of the stored message (up to the first empty line), as it was sent.</summary>
    private static MimePart OriginalHeaders(byte[] content)
    {
        var end = content.AsSpan().IndexOf("\r\n\r\n"u8);
        var length = end < 0 ? content.Length : end + 2;
        return new MimePart("text", "rfc822-headers")
        {
            Content = new MimeContent(new MemoryStream(content, 0, length, writable: false)),
        };
    }
}
