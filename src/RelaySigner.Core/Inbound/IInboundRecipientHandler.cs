namespace RelaySigner.Core.Inbound;

/// <summary>
/// A consumer of mail that the inbound listener (port 25, the way back) accepts for an address the relay owns: the
/// bounce handler owns the return-path domains and feedback addresses, the report importer the DMARC report
/// addresses, the unsubscribe handler the List-Unsubscribe mailto addresses. The listener accepts a RCPT only when a
/// handler owns it (every other recipient gets 550 5.7.1: it never relays) and hands each accepted message to the
/// handlers of its recipients.
/// </summary>
public interface IInboundRecipientHandler
{
    /// <summary>Whether this handler takes mail for <paramref name="recipient"/>. Cheap and side-effect free.</summary>
    bool Owns(string recipient);

    /// <summary>
    /// Processes one message received for <paramref name="recipients"/> (those of its RCPTs this handler owns). The
    /// content is hostile input, bounded by the listener's size limit. Returns once its effects are durable (the
    /// listener answers 250 only then); input it cannot use is logged and dropped, not an error. Throws only when its
    /// store failed, and the listener then answers 451 4.3.0 so the sender retries.
    /// </summary>
    Task HandleAsync(InboundMessage message, IReadOnlyList<string> recipients, CancellationToken cancellationToken);
}
