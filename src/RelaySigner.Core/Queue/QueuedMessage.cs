namespace RelaySigner.Core.Queue;

/// <summary>A leased message: its envelope, signed content and the recipients still to deliver.</summary>
public sealed record QueuedMessage(
    QueueId Id,
    string Sender,
    IReadOnlyList<string> PendingRecipients,
    byte[] Content,
    DateTimeOffset ReceivedAt,
    int Attempts);
