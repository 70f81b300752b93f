namespace RelaySigner.Core.Queue;

/// <summary>
/// The durable queue between intake and delivery.
/// Contract: <see cref="EnqueueAsync"/> returns only after the message and its envelope are committed and
/// fsync'd; any failure throws, and the caller answers 451 4.3.0. Claims are leases: a message claimed by a
/// worker that dies becomes due again when the lease expires, so nothing is stranded and no two live
/// workers hold the same message.
/// </summary>
public interface IMessageQueue
{
    Task<QueueId> EnqueueAsync(Envelope envelope, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Leases up to <paramref name="maxCount"/> due messages for <paramref name="leaseDuration"/>.</summary>
    Task<IReadOnlyList<QueuedMessage>> ClaimDueAsync(int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the outcome of one attempt per recipient and releases the lease. Recipients without a final
    /// outcome stay pending until <paramref name="nextAttemptAt"/>. A message with no pending recipient left
    /// is removed.
    /// </summary>
    Task RecordAttemptAsync(QueueId id, IReadOnlyList<RecipientOutcome> outcomes, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken);

    /// <summary>When the earliest pending message becomes due, or null when the queue holds nothing pending.</summary>
    Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken);
}
