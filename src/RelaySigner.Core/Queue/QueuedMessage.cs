namespace RelaySigner.Core.Queue;

/// <summary>A leased message: its envelope, signed content and the recipients still to deliver.</summary>
/// <param name="LeaseToken">Identifies this claim; pass <see cref="Lease"/> back to record the attempt.</param>
/// <param name="Dsn">The DSN parameters the client gave (RFC 3461), null when it gave none.</param>
/// <param name="DelayWarned">True once a delay warning (<c>Action: delayed</c>) was queued for this message.</param>
/// <param name="PendingIndexes">Each pending recipient's place in the message's envelope (what a VERP token names),
/// in the order of <paramref name="PendingRecipients"/>; null means the pending recipients are the whole envelope.</param>
public sealed record QueuedMessage(
    QueueId Id,
    string Sender,
    IReadOnlyList<string> PendingRecipients,
    byte[] Content,
    DateTimeOffset ReceivedAt,
    int Attempts,
    long LeaseToken,
    Dsn.DsnRequest? Dsn = null,
    bool DelayWarned = false,
    IReadOnlyList<int>? PendingIndexes = null)
{
    /// <summary>The envelope index of <see cref="PendingRecipients"/>[<paramref name="position"/>].</summary>
    public int EnvelopeIndex(int position) => PendingIndexes?[position] ?? position;

    public QueueLease Lease => new(Id, LeaseToken);
}
