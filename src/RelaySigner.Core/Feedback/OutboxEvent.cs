namespace RelaySigner.Core.Feedback;

/// <summary>An event waiting in the outbox, leased to one sender until <see cref="IEventOutbox.CompleteAsync"/> or
/// <see cref="IEventOutbox.RetryAsync"/>.</summary>
/// <param name="Id">The outbox's id of the event; ids grow in the order events were recorded.</param>
/// <param name="Attempts">How many times sending it failed before.</param>
public sealed record OutboxEvent(long Id, int Attempts, RelayEvent Event);
