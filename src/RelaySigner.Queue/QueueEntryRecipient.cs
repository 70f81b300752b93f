using RelaySigner.Core.Queue;

namespace RelaySigner.Queue;

/// <summary>A recipient of a <see cref="QueueEntry"/>, with the reply of its last attempt (null before the first).</summary>
public sealed record QueueEntryRecipient(string Address, RecipientStatus Status, string? LastReply);
