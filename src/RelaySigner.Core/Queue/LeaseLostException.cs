namespace RelaySigner.Core.Queue;

/// <summary>
/// Thrown by <see cref="IMessageQueue.RecordAttemptAsync"/> when the caller no longer holds the lease: it expired
/// and another worker claimed the message, or the attempt was already recorded. Nothing was changed; the holder of
/// the newer lease decides the message (a recipient delivered by both is delivered twice: at least once).
/// </summary>
public sealed class LeaseLostException(QueueLease lease)
    : InvalidOperationException($"The lease {lease.Token} on message {lease.Id} is no longer held.")
{
    public QueueLease Lease { get; } = lease;
}
