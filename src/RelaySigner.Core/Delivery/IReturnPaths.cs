namespace RelaySigner.Core.Delivery;

/// <summary>
/// The envelope sender (MAIL FROM) a message goes out with, per recipient: the client's, or a VERP address
/// <c>b-TOKEN@return-path-domain</c> whose token names the message and recipient, under a return-path domain aligned
/// with the From domain. The queue keeps the client's sender (delivery status notifications still go to it); only the
/// wire changes.
/// </summary>
public interface IReturnPaths
{
    /// <summary>False when no domain has a return-path domain: delivery keeps every sender and reads no From header.</summary>
    bool Enabled { get; }

    /// <summary>
    /// The MAIL FROM for the recipient at <paramref name="recipientIndex"/> of the message's envelope, for mail whose
    /// header From domain is <paramref name="fromDomain"/>; null to keep the client's sender.
    /// </summary>
    string? For(QueueId id, int recipientIndex, string fromDomain);
}
