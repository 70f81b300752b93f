namespace RelaySigner.Core.Feedback;

/// <summary>
/// Lets a store that appended events to the outbox (an attempt's outcome, a suppression) tell the webhook sender at
/// once, after its commit, instead of the sender finding them at its next poll. Events another node of a cluster
/// recorded are found by that poll (<see cref="EventsOptions.PollInterval"/>).
/// </summary>
public sealed class EventsWakeup(TimeProvider time) : WakeupSignal(time);
