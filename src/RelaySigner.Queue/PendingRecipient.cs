using RelaySigner.Core;

namespace RelaySigner.Queue;

/// <summary>A recipient still waiting for delivery, with its message's arrival, as <c>relaysigner queue stats</c> groups them.</summary>
public sealed record PendingRecipient(QueueId MessageId, string Address, DateTimeOffset ReceivedAt, string? LastReply);
