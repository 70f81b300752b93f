using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Core.Telemetry;
using RelaySigner.Delivery.Bounces;
using RelaySigner.Delivery.Routing;
using RelaySigner.Delivery.Transport;

namespace RelaySigner.Delivery.Scheduling;

/// <summary>
/// One delivery attempt of one message: its pending recipients grouped by destination, one SMTP transaction per
/// destination, then every outcome saved with the next attempt time (<see cref="RetrySchedule"/>) and, for
/// recipients that failed for good, a DSN to the envelope sender — in one queue transaction. A recipient still
/// pending after <see cref="DeliveryOptions.MaxAge"/> fails for good (5.4.7, RFC 5321 §4.5.4.1).
/// </summary>
public sealed class MessageDelivery(
    IMessageQueue queue,
    IDestinationResolver resolver,
    ISmtpTransport transport,
    RetrySchedule schedule,
    DeliveryStatusNotification notifications,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    RelayMetrics metrics,
    ILogger<MessageDelivery> logger)
{
    private const string SmarthostGroup = "";

    public async Task AttemptAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Kept in envelope order whatever the destinations, so the first attempt's history rows are the envelope
        // itself, position for position: how a bounce's VERP token, which names a recipient by its place, finds its
        // address once the message has left the queue.
        var decided = new RecipientOutcome?[message.PendingRecipients.Count];
        try
        {
            foreach (var group in Enumerable.Range(0, decided.Length).GroupBy(position => DestinationKey(message.PendingRecipients[position], settings)))
            {
                int[] positions = [.. group];
                var groupOutcomes = await DeliverOrDeferAsync(message, group.Key, positions, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < positions.Length; i++)
                {
                    decided[positions[i]] = groupOutcomes[i];
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: what was achieved is saved below; the rest stays pending and is due at once on restart.
            for (var i = 0; i < decided.Length; i++)
            {
                decided[i] ??= new RecipientOutcome(message.PendingRecipients[i], RecipientStatus.Pending, new SmtpReply(451, "4.3.2", "relay shutting down"));
            }
        }

        List<RecipientOutcome> outcomes = [.. decided.Select(o => o!)];
        var now = time.GetUtcNow();
        if (now - message.ReceivedAt >= settings.MaxAge)
        {
            outcomes = [.. outcomes.Select(Expire)];
        }

        var attempt = message.Attempts + 1;
        var nextAttemptAt = cancellationToken.IsCancellationRequested
            ? now
            : schedule.NextAttemptAt(now, message.ReceivedAt, attempt);
        var notification = Notification(message, outcomes);
        try
        {
            var dsnId = await queue.RecordAttemptAsync(message.Lease, outcomes, nextAttemptAt, notification, CancellationToken.None)
                .ConfigureAwait(false);
            if (dsnId is { } queued)
            {
                DeliveryWorkerLog.BounceQueued(logger, message.Id.Value, queued.Value, message.Sender);
            }
        }
        catch (LeaseLostException)
        {
            // The attempt outlived its lease and another worker has the message now: its outcome counts.
            DeliveryWorkerLog.LeaseLost(logger, message.Id.Value, attempt);
            return;
        }
        catch (Exception ex)
        {
            // Nothing was saved (one transaction): the lease expires and the whole attempt is made again.
            DeliveryWorkerLog.AttemptCrashed(logger, ex, message.Id.Value);
            return;
        }

        Count(message, outcomes, now);
        var pending = outcomes.Count(o => o.Status == RecipientStatus.Pending);
        var delivered = outcomes.Count(o => o.Status == RecipientStatus.Delivered);
        var failed = outcomes.Count(o => o.Status == RecipientStatus.Failed);
        if (pending > 0)
        {
            DeliveryWorkerLog.AttemptDeferred(logger, message.Id.Value, attempt, delivered, failed, pending, nextAttemptAt);
        }
        else
        {
            DeliveryWorkerLog.AttemptDone(logger, message.Id.Value, attempt, delivered, failed);
        }
    }

    /// <summary>Counted only once saved, so a lost lease or failed save does not count an attempt twice.</summary>
    private void Count(QueuedMessage message, List<RecipientOutcome> outcomes, DateTimeOffset now)
    {
        foreach (var outcome in outcomes)
        {
            var domain = RecipientDomain(outcome.Recipient);
            switch (outcome.Status)
            {
                case RecipientStatus.Delivered:
                    metrics.RecipientDelivered(domain, now - message.ReceivedAt);
                    break;
                case RecipientStatus.Failed:
                    metrics.RecipientBounced(domain);
                    break;
                default:
                    metrics.RecipientDeferred(domain);
                    break;
            }
        }
    }

    /// <summary>The DSN for the recipients that failed in this attempt; none for a message from &lt;&gt;.</summary>
    private GeneratedMessage? Notification(QueuedMessage message, List<RecipientOutcome> outcomes)
    {
        var failed = outcomes.Where(o => o.Status == RecipientStatus.Failed).ToList();
        if (failed.Count == 0)
        {
            return null;
        }

        if (string.IsNullOrEmpty(message.Sender))
        {
            DeliveryWorkerLog.NoBounceToNullSender(logger, message.Id.Value, failed.Count);
            return null;
        }

        try
        {
            return notifications.Create(message, failed);
        }
        catch (Exception ex) when (ex is MimeKit.ParseException or ArgumentException)
        {
            // A sender MimeKit cannot write as a To header: the failures are still saved, only the report is lost.
            DeliveryWorkerLog.BounceNotWritten(logger, ex, message.Id.Value, message.Sender);
            return null;
        }
    }

    /// <summary>
    /// One destination's outcomes; an unexpected failure defers its recipients (unknown errors are temporary) and
    /// lets the attempt go on, so the outcomes already reached for other destinations are still saved: dropping them
    /// would send those recipients the message again.
    /// </summary>
    /// <param name="positions">The recipients of this destination, as positions in <see cref="QueuedMessage.PendingRecipients"/>.</param>
    private async Task<IReadOnlyList<RecipientOutcome>> DeliverOrDeferAsync(
        QueuedMessage message, string destination, IReadOnlyList<int> positions, CancellationToken cancellationToken)
    {
        var recipients = positions.Select(p => message.PendingRecipients[p]).ToList();
        try
        {
            return await DeliverToDestinationAsync(message, destination, recipients, [.. positions.Select(message.EnvelopeIndex)], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            DeliveryWorkerLog.DestinationCrashed(logger, ex, message.Id.Value, destination == SmarthostGroup ? "the smarthost" : destination, recipients.Count);
            var deferred = new SmtpReply(451, "4.3.0", "local error in delivery; will retry");
            return [.. recipients.Select(r => new RecipientOutcome(r, RecipientStatus.Pending, deferred))];
        }
    }

    private async Task<IReadOnlyList<RecipientOutcome>> DeliverToDestinationAsync(
        QueuedMessage message, string domain, IReadOnlyList<string> recipients, IReadOnlyList<int> recipientIndexes, CancellationToken cancellationToken)
    {
        var resolution = await resolver.ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
        if (!resolution.IsResolved)
        {
            var outcomes = resolution.OutcomesFor(recipients);
            foreach (var outcome in outcomes)
            {
                DeliveryLog.Outcome(logger, message.Id, outcome);
            }

            return outcomes;
        }

        return await transport.DeliverAsync(message.Id, message.Sender, recipients, recipientIndexes, message.Content, resolution.Route, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>With a smarthost every recipient shares one transaction; otherwise one per recipient domain.</summary>
    private static string DestinationKey(string recipient, DeliveryOptions settings) =>
        string.IsNullOrWhiteSpace(settings.Smarthost) ? RecipientDomain(recipient) : SmarthostGroup;

    private static string RecipientDomain(string recipient) => recipient[(recipient.LastIndexOf('@') + 1)..].ToLowerInvariant();

    private RecipientOutcome Expire(RecipientOutcome outcome) =>
        outcome.Status != RecipientStatus.Pending
            ? outcome
            : outcome with
            {
                Status = RecipientStatus.Failed,
                Reply = new SmtpReply(550, "5.4.7", $"delivery time expired after {options.Value.MaxAge}; last reply: {outcome.Reply}"),
            };
}
