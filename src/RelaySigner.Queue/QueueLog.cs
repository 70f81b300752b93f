using Microsoft.Extensions.Logging;
using RelaySigner.Core;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Queue;

/// <summary>
/// Log messages of the queue. Queue id first; envelope addresses, sizes and outcomes only, never content
/// (promise 5: private by default).
/// </summary>
internal static partial class QueueLog
{
    [LoggerMessage(EventId = EventIds.Queue.Opened, Level = LogLevel.Information,
        Message = "Queue opened at {DatabasePath}, schema version {SchemaVersion}, journal mode {JournalMode}")]
    public static partial void Opened(ILogger logger, string databasePath, long schemaVersion, string journalMode);

    [LoggerMessage(EventId = EventIds.Queue.NotWal, Level = LogLevel.Warning,
        Message = "Queue at {DatabasePath} runs in journal mode {JournalMode} instead of WAL; commits stay durable but readers wait for writers")]
    public static partial void NotWal(ILogger logger, string databasePath, string journalMode);

    [LoggerMessage(EventId = EventIds.Queue.Upgraded, Level = LogLevel.Information,
        Message = "Queue at {DatabasePath} upgraded from schema version {FromVersion} to {ToVersion}")]
    public static partial void Upgraded(ILogger logger, string databasePath, long fromVersion, long toVersion);

    [LoggerMessage(EventId = EventIds.Queue.Restricted, Level = LogLevel.Warning,
        Message = "Queue file {Path} could be opened by other users; its mode is now 0600")]
    public static partial void Restricted(ILogger logger, string path);

    [LoggerMessage(EventId = EventIds.Queue.Queued, Level = LogLevel.Information,
        Message = "{QueueId}: queued nrcpt={RecipientCount} stored_size={StoredSize}")]
    public static partial void Queued(ILogger logger, QueueId queueId, int recipientCount, int storedSize);

    [LoggerMessage(EventId = EventIds.Queue.Leased, Level = LogLevel.Debug,
        Message = "{QueueId}: leased until {LeaseUntil:o}, {PendingCount} pending recipients, {Attempts} attempts so far")]
    public static partial void Leased(ILogger logger, QueueId queueId, DateTimeOffset leaseUntil, int pendingCount, int attempts);

    [LoggerMessage(EventId = EventIds.Queue.AttemptRecorded, Level = LogLevel.Debug,
        Message = "{QueueId}: attempt {Attempt} recorded, {PendingCount} recipients still pending, next attempt at {NextAttemptAt:o}")]
    public static partial void AttemptRecorded(ILogger logger, QueueId queueId, long attempt, long pendingCount, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = EventIds.Queue.Removed, Level = LogLevel.Information,
        Message = "{QueueId}: removed from the queue after {Attempts} attempts, no recipient pending")]
    public static partial void Removed(ILogger logger, QueueId queueId, long attempts);

    [LoggerMessage(EventId = EventIds.Queue.OutcomeIgnored, Level = LogLevel.Warning,
        Message = "{QueueId}: outcome {Status} for {Recipient} ignored, the recipient already has a final outcome")]
    public static partial void OutcomeIgnored(ILogger logger, QueueId queueId, string recipient, string status);

    [LoggerMessage(EventId = EventIds.Queue.NotificationQueued, Level = LogLevel.Information,
        Message = "{QueueId}: delivery status notification queued as {NotificationId} nrcpt={RecipientCount} size={Size}")]
    public static partial void NotificationQueued(ILogger logger, QueueId queueId, QueueId notificationId, int recipientCount, int size);

    [LoggerMessage(EventId = EventIds.Queue.LeasesReleased, Level = LogLevel.Information,
        Message = "Queue at {DatabasePath}: released {LeaseCount} leases held by the previous run, their messages are due now")]
    public static partial void LeasesReleased(ILogger logger, string databasePath, int leaseCount);

    [LoggerMessage(EventId = EventIds.Queue.OperationFailed, Level = LogLevel.Warning,
        Message = "{QueueId}: queue operation {Operation} failed and was rolled back")]
    public static partial void OperationFailed(ILogger logger, string queueId, string operation, Exception exception);

    [LoggerMessage(EventId = EventIds.Queue.CommitFailed, Level = LogLevel.Error,
        Message = "Queue commit of {OperationCount} operations failed; all of them were rolled back")]
    public static partial void CommitFailed(ILogger logger, int operationCount, Exception exception);

    [LoggerMessage(EventId = EventIds.Queue.CheckpointFailed, Level = LogLevel.Warning,
        Message = "Queue at {DatabasePath}: background checkpoint failed with SQLite code {ResultCode} ({Reason}); the writer's own checkpoints keep the WAL bounded")]
    public static partial void CheckpointFailed(ILogger logger, string databasePath, int resultCode, string reason);

    [LoggerMessage(EventId = EventIds.Queue.Checkpointed, Level = LogLevel.Trace,
        Message = "Queue WAL checkpoint ({Mode}): {Copied} of {Frames} pages in the WAL are in the file")]
    public static partial void Checkpointed(ILogger logger, string mode, int copied, int frames);

    [LoggerMessage(EventId = EventIds.Queue.BatchCommitted, Level = LogLevel.Trace,
        Message = "Queue committed {OperationCount} operations in one transaction")]
    public static partial void BatchCommitted(ILogger logger, int operationCount);

    [LoggerMessage(EventId = EventIds.Queue.HistoryPruned, Level = LogLevel.Information,
        Message = "Message history pruned: {MessageCount} messages that left the queue before {Cutoff:o}")]
    public static partial void HistoryPruned(ILogger logger, int messageCount, DateTimeOffset cutoff);

    [LoggerMessage(EventId = EventIds.Queue.HistoryPruneFailed, Level = LogLevel.Warning,
        Message = "Message history pruning failed after {MessageCount} messages; it is tried again at the next round")]
    public static partial void HistoryPruneFailed(ILogger logger, int messageCount, Exception exception);

    [LoggerMessage(EventId = EventIds.Queue.RecipientSuppressed, Level = LogLevel.Information,
        Message = "{QueueId}: <{Recipient}> suppressed for mail from {Domain}: hard bounce {Status}")]
    public static partial void RecipientSuppressed(ILogger logger, QueueId queueId, string recipient, string domain, string status);
}
