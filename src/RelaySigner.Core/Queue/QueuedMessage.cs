namespace RelaySigner.Core.Queue;

/// <summary>A leased message: its envelope, signed content and the recipients still to deliver.</summary>
/// <param name="LeaseToken">Identifies this claim; pass <see cref="Lease"/> back to record the attempt.</param>
public sealed record QueuedMessage(
    QueueId Id,
    string Sender,
    IReadOnlyList<string> PendingRecipients,
    byte[] Content,
    DateTimeOffset ReceivedAt,
    int Attempts,
    long LeaseToken)
{
    public QueueLease Lease => new(Id, LeaseToken);
}
