namespace RelaySigner.Core.Queue;

/// <summary>
/// Lets intake tell the delivery loop that a message was queued, so a fresh message goes out at once
/// instead of waiting for the next poll.
/// </summary>
public sealed class DeliveryWakeup(TimeProvider time) : WakeupSignal(time);
