using RelaySigner.Core;

namespace RelaySigner.Queue;

/// <summary>
/// What the store knows of one message's way out: its envelope sender and Message-ID (never the Subject or body),
/// every attempt per recipient, and when it left the queue.
/// </summary>
/// <param name="MessageId">The Message-ID header value; null when the message had none.</param>
/// <param name="RemovedAt">When it left the queue; null while it is still queued.</param>
/// <param name="Deleted">True when an operator deleted it (<c>queue delete</c>) rather than every recipient having a final outcome.</param>
public sealed record MessageHistory(
    QueueId Id,
    string? MessageId,
    string Sender,
    DateTimeOffset ReceivedAt,
    long Size,
    DateTimeOffset? RemovedAt,
    bool Deleted,
    IReadOnlyList<DeliveryAttempt> Attempts)
{
    /// <summary><c>queued</c>, <c>done</c> (every recipient has a final outcome) or <c>deleted</c>.</summary>
    public string State => RemovedAt is null ? "queued" : Deleted ? "deleted" : "done";
}
