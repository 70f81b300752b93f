using RelaySigner.Core;
using RelaySigner.Feedback.Inbound;
using RelaySigner.Queue;

namespace RelaySigner.Wiring;

/// <summary>
/// The bounce handler's view of what the relay sent, from the queue's history (<see cref="IQueueAdministration.FindHistory"/>:
/// queued messages and, while <c>Relay:Queue:HistoryRetention</c> keeps them, those that left). A message's recipients by
/// envelope index are its first recorded attempt's rows, which delivery saves in envelope order.
/// </summary>
public sealed class QueueSentMessages(IQueueAdministration queue) : ISentMessages
{
    // The administration reads synchronously (its own read-only connection or snapshot): off the SMTP session's thread.
    public Task<SentMessage?> FindAsync(QueueId id, CancellationToken cancellationToken) =>
        Task.Run(() => queue.FindHistory(new HistoryQuery(id, null, null), since: null).Select(ToSent).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<SentMessage>> FindByMessageIdAsync(string messageId, CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<SentMessage>>(() => [.. queue.FindHistory(new HistoryQuery(null, messageId, null), since: null).Select(ToSent)], cancellationToken);

    private static SentMessage ToSent(MessageHistory history)
    {
        var first = history.Attempts.Count == 0 ? 0 : history.Attempts.Min(a => a.Attempt);
        return new SentMessage(history.Id, history.Sender, history.MessageId, history.ReceivedAt,
            [.. history.Attempts.Where(a => a.Attempt == first).Select(a => a.Recipient)]);
    }
}
