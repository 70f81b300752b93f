namespace RelaySigner.Queue;

/// <summary>What an operator's change to one queued message did.</summary>
public enum QueueChange
{
    Done,
    NotFound,

    /// <summary>A delivery worker holds the message's lease: nothing changed; try again once the attempt is over.</summary>
    BeingDelivered,
}
