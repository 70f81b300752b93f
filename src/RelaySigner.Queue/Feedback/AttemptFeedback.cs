using RelaySigner.Core;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue.Feedback;

/// <summary>
/// What one recorded attempt adds to the way back, computed alike for both stores and written in the attempt's own
/// transaction: an event per recipient outcome (<c>delivered</c>, <c>deferred</c>, <c>bounced</c> with its kind and
/// status, when events are on), a suppression for each recipient the receiver said does not exist (a hard 5xx, never
/// a block: promise 9) with its <c>suppressed</c> event, and the counts of delivered and hard-bounced recipients.
/// </summary>
/// <param name="Domain">The organisational domain counts and suppressions go to; null when the message has none
/// (then nothing is counted or suppressed).</param>
internal sealed record AttemptFeedback(
    string? Domain,
    IReadOnlyList<Suppression> Suppressions,
    IReadOnlyList<RelayEvent> Events,
    int Delivered,
    int HardBounces)
{
    /// <summary>True when the attempt adds nothing to store (no event, suppression or count).</summary>
    public bool IsEmpty => Suppressions.Count == 0 && Events.Count == 0 && (Domain is null || Delivered + HardBounces == 0);

    /// <param name="applied">The outcomes the attempt stored (those for recipients still pending before it).</param>
    /// <param name="eventsEnabled">Whether events are written at all (<see cref="EventsOptions.Enabled"/>).</param>
    public static AttemptFeedback Of(QueueId id, MessageOrigin origin, IEnumerable<RecipientOutcome> applied,
        DateTimeOffset at, bool eventsEnabled)
    {
        var domain = origin.OrganizationalDomain;
        List<Suppression>? suppressions = null;
        List<RelayEvent>? events = eventsEnabled ? [] : null;
        int delivered = 0, hardBounces = 0;
        foreach (var outcome in applied)
        {
            string? kind = null;
            switch (outcome.Status)
            {
                case RecipientStatus.Delivered:
                    delivered++;
                    break;
                case RecipientStatus.Failed:
                    kind = outcome.Reply is { } reply ? ReplyKind.Of(reply) : ReplyKind.Unknown;
                    break;
            }

            var status = outcome.Reply?.EnhancedCode;
            events?.Add(Event(outcome.Status switch
            {
                RecipientStatus.Delivered => RelayEventType.Delivered,
                RecipientStatus.Failed => RelayEventType.Bounced,
                _ => RelayEventType.Deferred,
            }, kind));

            if (kind == ReplyKind.Hard && domain is not null)
            {
                hardBounces++;
                (suppressions ??= []).Add(new Suppression(domain, SuppressionKey.Recipient(outcome.Recipient),
                    SuppressionReason.HardBounce, at, status, id));
                events?.Add(Event(RelayEventType.Suppressed, SuppressionReasons.Name(SuppressionReason.HardBounce)));
            }

            RelayEvent Event(RelayEventType type, string? eventKind) =>
                new(type, at, outcome.Recipient, id, origin.MessageId, origin.FromDomain, eventKind, status);
        }

        return new AttemptFeedback(domain, suppressions ?? [], events ?? [], delivered, hardBounces);
    }

    /// <summary>The outcomes an attempt stored: all but those ignored (compared by reference, as the same value may
    /// be given twice and then only its second is ignored).</summary>
    public static IEnumerable<RecipientOutcome> Applied(IReadOnlyList<RecipientOutcome> outcomes, IReadOnlyList<RecipientOutcome> ignored) =>
        ignored.Count == 0 ? outcomes : outcomes.Where(o => !ignored.Any(i => ReferenceEquals(i, o)));
}
