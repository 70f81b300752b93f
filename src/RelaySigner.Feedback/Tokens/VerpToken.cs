using RelaySigner.Core;

namespace RelaySigner.Feedback.Tokens;

/// <summary>
/// What a bounce's token says: the message (its queue id) and which of its envelope recipients it was sent for
/// (the index in the envelope's recipient list, in the order the envelope keeps them).
/// </summary>
public readonly record struct VerpToken(QueueId QueueId, int RecipientIndex);
