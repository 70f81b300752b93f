using System.Text;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Delivery.Bounces;
using RelaySigner.Feedback.Inbound;

namespace RelaySigner.Wiring;

/// <summary>
/// Forwards a hard bounce to the client's envelope sender with delivery's own DSN writer, queued like any message
/// (from <c>&lt;&gt;</c>, so nothing bounces it again). The original's content is gone by then: the notice quotes its
/// Message-ID as the original header.
/// </summary>
public sealed class QueuedBounceForwarding(DeliveryStatusNotification notifications, IMessageQueue queue, DeliveryWakeup wakeup) : IBounceForwarding
{
    public async Task ForwardAsync(SentMessage original, string recipient, string? status, CancellationToken cancellationToken)
    {
        byte[] headers = original.MessageId is { } id && !id.Any(char.IsControl) ? Encoding.UTF8.GetBytes($"Message-ID: <{id}>\r\n\r\n") : [];
        var message = new QueuedMessage(original.Id, original.Sender, [], headers, original.ReceivedAt, Attempts: 0, LeaseToken: 0);
        var reply = new SmtpReply(550, status ?? "5.0.0", "the recipient's server accepted the message, then reported the address undeliverable");
        var notice = notifications.Create(message, [new ReportedRecipient(new RecipientOutcome(recipient, RecipientStatus.Failed, reply), DsnAction.Failed)]);
        await queue.EnqueueAsync(notice.Envelope, notice.Content, cancellationToken).ConfigureAwait(false);
        wakeup.Notify();
    }
}
