using RelaySigner.Core;

namespace RelaySigner.Queue;

/// <summary>One queued message as <c>relaysigner queue list</c> shows it: envelope, size, schedule, and per recipient its state.</summary>
/// <param name="LeasedUntil">Set while a delivery worker holds the message (being delivered now).</param>
/// <param name="LeasedBy">The node whose worker holds the lease, where the store records it (PostgreSQL).</param>
public sealed record QueueEntry(
    QueueId Id,
    string Sender,
    long Size,
    DateTimeOffset ReceivedAt,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? LeasedUntil,
    IReadOnlyList<QueueEntryRecipient> Recipients,
    string? LeasedBy = null);
