using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Dsn;
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
/// pending after <see cref="DeliveryOptions.MaxAge"/> fails for good (5.4.7, RFC 5321 §4.5.4.1). The DSN follows the
/// client's NOTIFY per recipient (RFC 3461): failures unless it excludes FAILURE, a delay warning once per message past
/// <see cref="DeliveryOptions.DelayWarningAfter"/> unless it excludes DELAY, and <c>relayed</c> for SUCCESS when the
/// next hop did not offer DSN (one that did was given the NOTIFY and reports success itself).
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
        var report = Notification(message, outcomes, now);
        var notification = report?.Message;
        try
        {
            var dsnId = await queue.RecordAttemptAsync(message.Lease, outcomes, nextAttemptAt, notification, CancellationToken.None)
                .ConfigureAwait(false);
            if (dsnId is { } queued)
            {
                LogNotification(message, report!.Value.Actions, queued);
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

    /// <summary>
    /// The DSN of this attempt: the recipients that failed, were relayed or are delayed, as far as their NOTIFY wants
    /// them reported; none for a message from &lt;&gt;.
    /// </summary>
    private (GeneratedMessage Message, IReadOnlyList<DsnAction> Actions)? Notification(
        QueuedMessage message, List<RecipientOutcome> outcomes, DateTimeOffset now)
    {
        var warnDelay = options.Value.DelayWarningAfter > TimeSpan.Zero && !message.DelayWarned &&
            now - message.ReceivedAt >= options.Value.DelayWarningAfter;
        List<ReportedRecipient>? reported = null; // most attempts report nothing: no list for them
        foreach (var outcome in outcomes)
        {
            (DsnNotify Kind, DsnAction Action)? report = outcome.Status switch
            {
                RecipientStatus.Failed => (DsnNotify.Failure, DsnAction.Failed),
                RecipientStatus.Delivered when !outcome.NextHopNotifies => (DsnNotify.Success, DsnAction.Relayed),
                RecipientStatus.Pending when warnDelay => (DsnNotify.Delay, DsnAction.Delayed),
                _ => null,
            };
            if (report is not { } r)
            {
                continue;
            }

            if (DsnRequest.Wants(message.Dsn, outcome.Recipient, r.Kind))
            {
                (reported ??= []).Add(new ReportedRecipient(outcome, r.Action));
            }
            else if (r.Action != DsnAction.Relayed)
            {
                // Only an explicit NOTIFY turns a failure or a delay report off; success is reported only when asked.
                DeliveryWorkerLog.NotificationNotWanted(logger, message.Id.Value, r.Action.ToString().ToLowerInvariant(), outcome.Recipient);
            }
        }

        if (reported is null)
        {
            return null;
        }

        if (string.IsNullOrEmpty(message.Sender))
        {
            var failed = reported.Count(r => r.Action == DsnAction.Failed);
            if (failed > 0)
            {
                DeliveryWorkerLog.NoBounceToNullSender(logger, message.Id.Value, failed);
            }

            return null;
        }

        try
        {
            return (notifications.Create(message, reported, message.ReceivedAt + options.Value.MaxAge),
                [.. reported.Select(r => r.Action).Distinct()]);
        }
        catch (Exception ex) when (ex is MimeKit.ParseException or ArgumentException)
        {
            // A sender MimeKit cannot write as a To header: the failures are still saved, only the report is lost.
            DeliveryWorkerLog.BounceNotWritten(logger, ex, message.Id.Value, message.Sender);
            return null;
        }
    }

    /// <summary>Event 4106 for a report with failures (a bounce), 4400 for delay warnings and relay reports.</summary>
    private void LogNotification(QueuedMessage message, IReadOnlyList<DsnAction> actions, QueueId queued)
    {
        if (actions.Contains(DsnAction.Failed))
        {
            DeliveryWorkerLog.BounceQueued(logger, message.Id.Value, queued.Value, message.Sender);
        }

        if (actions.Any(a => a != DsnAction.Failed))
        {
            DeliveryWorkerLog.NotificationQueued(logger, message.Id.Value,
                string.Join(',', actions.Select(a => a.ToString().ToLowerInvariant())), queued.Value, message.Sender);
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

        return await transport.DeliverAsync(message.Id, message.Sender, recipients, recipientIndexes, message.Content, resolution.Route, message.Dsn, cancellationToken).ConfigureAwait(false);
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
