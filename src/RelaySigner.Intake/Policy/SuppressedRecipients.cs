using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Intake.Policy;

/// <summary>
/// At DATA, once signing found the From domain: drops the recipients on the suppression list of the From's
/// organisational domain from the envelope (each logged, and a <c>suppressed</c> event when events are on), and
/// refuses the message <c>550 5.7.1</c> naming the reason when none is left.
/// </summary>
/// <remarks>
/// Cost per message: ONE prepared statement, an index seek per recipient (<see cref="ISuppressionList.FindAsync"/>).
/// No cache in front of it: on a cluster another node may add an entry at any time, and a stale "the list is empty"
/// would deliver to an address the receiver said does not exist. The events of suppressed recipients cost a
/// transaction of their own, only when some recipient was suppressed and events are on.
/// </remarks>
public sealed class SuppressedRecipients(
    ISuppressionList list, IOptions<EventsOptions> events, TimeProvider time, ILogger<SuppressedRecipients> logger)
{
    private readonly bool _eventsEnabled = events.Value.Enabled;

    /// <param name="domain">The From's organisational domain; null (unknown) suppresses nothing.</param>
    /// <param name="fromDomain">The header From domain, for the events.</param>
    /// <returns>The envelope without the suppressed recipients, or the refusal when none is left.</returns>
    /// <exception cref="Exception">The list could not be read or the events not written: the caller answers 451.</exception>
    public async Task<(Envelope Envelope, SmtpReply? Refusal)> ApplyAsync(Envelope envelope, string? domain, string? fromDomain,
        string? client, CancellationToken cancellationToken)
    {
        if (domain is null)
        {
            return (envelope, null);
        }

        var found = await list.FindAsync(domain, envelope.Recipients as IReadOnlyCollection<string> ?? [.. envelope.Recipients], cancellationToken)
            .ConfigureAwait(false);
        if (found.Count == 0)
        {
            return (envelope, null);
        }

        var now = time.GetUtcNow();
        var suppressedEvents = new List<RelayEvent>(_eventsEnabled ? found.Count : 0);
        foreach (var (recipient, entry) in found)
        {
            IntakeLog.RecipientSuppressed(logger, client, envelope.Sender, recipient, domain, Describe(entry));
            if (_eventsEnabled)
            {
                suppressedEvents.Add(new RelayEvent(RelayEventType.Suppressed, now, recipient, null,
                    Envelope.NormalizeMessageId(envelope.MessageId), fromDomain, SuppressionReasons.Name(entry.Reason), entry.Status));
            }
        }

        if (suppressedEvents.Count > 0)
        {
            await list.RecordAsync([], suppressedEvents, cancellationToken).ConfigureAwait(false);
        }

        var remaining = envelope.Recipients.Where(r => !found.ContainsKey(r)).ToArray();
        if (remaining.Length > 0)
        {
            return (envelope with { Recipients = remaining }, null);
        }

        var first = found[envelope.Recipients[0]];
        var text = envelope.Recipients.Count == 1
            ? $"recipient suppressed for mail from {domain}: {Describe(first)}"
            : $"all {envelope.Recipients.Count} recipients suppressed for mail from {domain}, e.g. <{envelope.Recipients[0]}>: {Describe(first)}";
        return (envelope, new SmtpReply(550, "5.7.1", text));
    }

    /// <summary>"hard bounce on 2026-12-01": the reason and the day, as the reply and the log name them.</summary>
    private static string Describe(Suppression entry) =>
        (entry.Reason switch
        {
            SuppressionReason.HardBounce => "hard bounce",
            SuppressionReason.Complaint => "complaint",
            SuppressionReason.Unsubscribe => "unsubscribed",
            _ => "added by an operator",
        }) + " on " + entry.Since.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
