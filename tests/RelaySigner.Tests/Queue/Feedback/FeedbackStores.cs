using RelaySigner.Core.Feedback;
using RelaySigner.Core.Queue;

namespace RelaySigner.Tests.Queue.Feedback;

/// <summary>
/// A queue and the stores of the way back on the same database, as one relay node has them, and the wake-up they give the
/// node's webhook sender.
/// </summary>
public sealed record FeedbackStores(IMessageQueue Queue, ISuppressionList List, IEventOutbox Outbox, IFeedbackRates Rates, EventsWakeup Wakeup);
