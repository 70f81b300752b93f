namespace RelaySigner.Core.Delivery;

/// <summary>
/// Paces the messages handed to one destination over every node that shares the queue, so a receiver never gets them
/// faster than <c>MessagesPerSecondPerDestination</c> however many nodes the relay runs on.
/// </summary>
public interface IDestinationRate
{
    /// <summary>
    /// Reserves the next start of <paramref name="destination"/>, at least <paramref name="interval"/> after the one
    /// before it on any node, and waits for it. A reservation is spent even when the wait is cancelled.
    /// </summary>
    Task WaitTurnAsync(string destination, TimeSpan interval, CancellationToken cancellationToken);
}
