namespace RelaySigner.Core.Delivery;

/// <summary>
/// SMTP sessions to one destination counted over every node that shares the queue, so a receiver never sees more
/// than <c>MaxConnectionsPerDestination</c> sessions from the relay however many nodes it runs on. Each node's own
/// limit holds as well; on one node there is nothing more to count.
/// </summary>
public interface IDestinationSlots
{
    /// <summary>
    /// Waits until fewer than <paramref name="limit"/> sessions to <paramref name="destination"/> are open across the
    /// nodes and takes one; disposing the result gives it back <paramref name="keepIdle"/> later. Meanwhile the slot
    /// stays this node's, as the SMTP connection the session leaves open for reuse stays open at the receiver, and the
    /// node's next session there takes it again without asking the other nodes.
    /// </summary>
    ValueTask<IAsyncDisposable> AcquireAsync(string destination, int limit, TimeSpan keepIdle, CancellationToken cancellationToken);
}
