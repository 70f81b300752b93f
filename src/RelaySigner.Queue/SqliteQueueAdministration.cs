using RelaySigner.Core;

namespace RelaySigner.Queue;

/// <summary>
/// <see cref="IQueueAdministration"/> on the embedded queue in <paramref name="folder"/>: reads on read-only
/// connections of their own (<see cref="QueueListing"/>, <see cref="QueueSummary"/>), changes through
/// <see cref="QueueAdministration"/>.
/// </summary>
public sealed class SqliteQueueAdministration(string folder) : IQueueAdministration
{
    public IReadOnlyList<QueueEntry> List() => QueueListing.Read(folder);

    public IEnumerable<PendingRecipient> ListPending() => QueueListing.ReadPending(folder);

    public byte[]? ReadContent(QueueId id) => QueueListing.ReadContent(folder, id);

    public IReadOnlyList<DeliveryAttempt> ReadAttempts(QueueId id) => HistorySql.ReadAttempts(folder, id);

    public IReadOnlyList<MessageHistory> FindHistory(HistoryQuery query, DateTimeOffset? since) =>
        HistorySql.Find(folder, query, since);

    public IReadOnlyList<DeliveryCount> CountDeliveries(DateTimeOffset from, DateTimeOffset to) =>
        HistorySql.CountDeliveries(folder, from, to);

    public QueueSummary Summarize()
    {
        var path = Path.Combine(Path.GetFullPath(folder), QueueOptions.DatabaseFileName);
        return File.Exists(path) ? QueueSummary.Read(path) : new QueueSummary(0, null);
    }

    public QueueChange Retry(QueueId id, DateTimeOffset now) => QueueAdministration.Retry(folder, id, now);

    public (int Retried, int BeingDelivered) RetryAll(DateTimeOffset now) => QueueAdministration.RetryAll(folder, now);

    public QueueChange Delete(QueueId id, DateTimeOffset now) => QueueAdministration.Delete(folder, id, now);
}
