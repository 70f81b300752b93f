using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Delivery.Routing;
using RelaySigner.Delivery.Transport;

namespace RelaySigner.Delivery.Scheduling;

/// <summary>
/// One delivery attempt of one message: its pending recipients grouped by destination, one SMTP transaction per
/// destination, then every outcome saved. A recipient still pending after <see cref="DeliveryOptions.MaxAge"/>
/// fails for good (RFC 5321 §4.5.4.1).
/// </summary>
public sealed class MessageDelivery(
    IMessageQueue queue,
    IDestinationResolver resolver,
    ISmtpTransport transport,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<MessageDelivery> logger)
{
    private const string SmarthostGroup = "";

    public async Task AttemptAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        List<RecipientOutcome> outcomes = [];
        try
        {
            foreach (var group in message.PendingRecipients.GroupBy(r => DestinationKey(r, settings)))
            {
                outcomes.AddRange(await DeliverToDestinationAsync(message, group.Key, [.. group], cancellationToken).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: what was achieved is saved below; the rest stays pending and is due at once on restart.
            outcomes.AddRange(message.PendingRecipients
                .Where(r => outcomes.All(o => o.Recipient != r))
                .Select(r => new RecipientOutcome(r, RecipientStatus.Pending, new SmtpReply(451, "4.3.2", "relay shutting down"))));
        }
        catch (Exception ex)
        {
            DeliveryWorkerLog.AttemptCrashed(logger, ex, message.Id.Value);
            return;
        }

        var now = time.GetUtcNow();
        if (now - message.ReceivedAt >= settings.MaxAge)
        {
            outcomes = [.. outcomes.Select(Expire)];
        }

        var attempt = message.Attempts + 1;
        var nextAttemptAt = cancellationToken.IsCancellationRequested ? now : now + settings.RetryDelay(attempt);
        await queue.RecordAttemptAsync(message.Id, outcomes, nextAttemptAt, CancellationToken.None).ConfigureAwait(false);
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

    private async Task<IReadOnlyList<RecipientOutcome>> DeliverToDestinationAsync(
        QueuedMessage message, string domain, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
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

        return await transport.DeliverAsync(message.Id, message.Sender, recipients, message.Content, resolution.Route, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>With a smarthost every recipient shares one transaction; otherwise one per recipient domain.</summary>
    private static string DestinationKey(string recipient, DeliveryOptions settings) =>
        string.IsNullOrWhiteSpace(settings.Smarthost) ? recipient[(recipient.LastIndexOf('@') + 1)..].ToLowerInvariant() : SmarthostGroup;

    private RecipientOutcome Expire(RecipientOutcome outcome) =>
        outcome.Status != RecipientStatus.Pending
            ? outcome
            : outcome with
            {
                Status = RecipientStatus.Failed,
                Reply = new SmtpReply(550, "5.4.7", $"delivery time expired after {options.Value.MaxAge}; last reply: {outcome.Reply}"),
            };
}
