using RelaySigner.Core;

namespace RelaySigner.Queue;

/// <summary>
/// What operators read and change in the queue (<c>relaysigner queue list|show|retry|delete|stats</c>, the gauges),
/// on the store directly, also while relays run. A change leaves a message under a live delivery lease untouched:
/// the check and the change are one atomic step, so a claim cannot slip in between.
/// </summary>
public interface IQueueAdministration
{
    /// <summary>Every message in the queue, oldest first; empty when there is no queue yet.</summary>
    IReadOnlyList<QueueEntry> List();

    /// <summary>Every pending recipient with its message's arrival, in message id order, read while the caller enumerates.</summary>
    IEnumerable<PendingRecipient> ListPending();

    /// <summary>The stored bytes of one message (signed, as they will be delivered); null when it is not in the queue.</summary>
    byte[]? ReadContent(QueueId id);

    /// <summary>The attempts of one message, queued or gone (while its history is kept), in order.</summary>
    IReadOnlyList<DeliveryAttempt> ReadAttempts(QueueId id);

    /// <summary>
    /// The messages <paramref name="query"/> names, still queued or gone while their history is kept, received at or
    /// after <paramref name="since"/> when given, oldest id first.
    /// </summary>
    IReadOnlyList<MessageHistory> FindHistory(HistoryQuery query, DateTimeOffset? since);

    /// <summary>
    /// Attempt outcomes per UTC day and destination domain (lower case) of attempts made in [<paramref name="from"/>,
    /// <paramref name="to"/>), from the message history (so only as far back as it is kept), in day then domain order.
    /// </summary>
    IReadOnlyList<DeliveryCount> CountDeliveries(DateTimeOffset from, DateTimeOffset to);

    /// <summary>How many messages the queue holds and when the oldest was accepted.</summary>
    QueueSummary Summarize();

    /// <summary>Makes the message due now.</summary>
    QueueChange Retry(QueueId id, DateTimeOffset now);

    /// <summary>Makes every message not being delivered due now.</summary>
    /// <returns>How many messages were made due, and how many were left because a worker holds them.</returns>
    (int Retried, int BeingDelivered) RetryAll(DateTimeOffset now);

    /// <summary>Removes the message and its recipients without a DSN, as <c>postsuper -d</c> does.</summary>
    QueueChange Delete(QueueId id, DateTimeOffset now);
}
