namespace RelaySigner.Core.Queue;

/// <summary>
/// The durable queue between intake and delivery.
/// Contract: EnqueueAsync returns only after the message and its envelope are committed and
/// fsync'd; any failure throws, and the caller answers 451 4.3.0. Claims are leases with an expiry and a token:
/// a message claimed by a worker that dies becomes due again when the lease expires (an implementation may
/// release the leases of a node it knows to be gone earlier, e.g. at start), and a worker that lost its lease
/// cannot record over the newer holder. No two live workers hold the same message.
/// </summary>
public interface IMessageQueue
{
    Task<QueueId> EnqueueAsync(Envelope envelope, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="EnqueueAsync(Envelope, ReadOnlyMemory{byte}, CancellationToken)"/>, for content given in parts
    /// stored in a row (the DKIM-Signature headers, then the received bytes): a large message is not copied only
    /// to join them. The parts are read only until the returned task completes; the queue keeps no reference.
    /// </summary>
    Task<QueueId> EnqueueAsync(Envelope envelope, IReadOnlyList<ReadOnlyMemory<byte>> contentParts, CancellationToken cancellationToken);

    /// <summary>Leases up to <paramref name="maxCount"/> due messages for <paramref name="leaseDuration"/>.</summary>
    Task<IReadOnlyList<QueuedMessage>> ClaimDueAsync(int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: saves the outcome of one attempt per recipient, releases the lease, and queues
    /// <paramref name="notification"/> (a DSN) when given. Recipients without a final outcome stay pending until
    /// <paramref name="nextAttemptAt"/>. A message with no pending recipient left is removed.
    /// </summary>
    /// <returns>The queue id of <paramref name="notification"/>, or null when none was given.</returns>
    /// <exception cref="LeaseLostException">The lease is no longer held; nothing changed.</exception>
    Task<QueueId?> RecordAttemptAsync(
        QueueLease lease,
        IReadOnlyList<RecipientOutcome> outcomes,
        DateTimeOffset nextAttemptAt,
        GeneratedMessage? notification,
        CancellationToken cancellationToken);

    /// <summary>When the earliest pending message becomes due, or null when the queue holds nothing pending.</summary>
    Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken);
}
