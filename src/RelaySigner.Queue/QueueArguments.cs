using RelaySigner.Core;
using RelaySigner.Core.Queue;

namespace RelaySigner.Queue;

/// <summary>The argument checks every store makes before it touches anything, so both refuse the same input.</summary>
internal static class QueueArguments
{
    public static void ValidateEnvelope(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(envelope.Sender);
        ArgumentNullException.ThrowIfNull(envelope.Recipients);
        if (envelope.Recipients.Count == 0)
        {
            throw new ArgumentException("An envelope needs at least one recipient.", nameof(envelope));
        }

        if (envelope.Recipients.Any(r => r is null))
        {
            throw new ArgumentException("A recipient address is null.", nameof(envelope));
        }
    }

    /// <summary>Checks the lease, each outcome, and the notification's envelope of a RecordAttempt call.</summary>
    public static void ValidateAttempt(QueueLease lease, IReadOnlyList<RecipientOutcome> outcomes, GeneratedMessage? notification)
    {
        ArgumentNullException.ThrowIfNull(lease.Id.Value, nameof(lease));
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var outcome in outcomes)
        {
            ArgumentNullException.ThrowIfNull(outcome, nameof(outcomes));
            ArgumentNullException.ThrowIfNull(outcome.Recipient, nameof(outcomes));
            if (!Enum.IsDefined(outcome.Status))
            {
                throw new ArgumentException($"Unknown recipient status {outcome.Status}.", nameof(outcomes));
            }
        }

        if (notification is not null)
        {
            ValidateEnvelope(notification.Envelope);
        }
    }
}
