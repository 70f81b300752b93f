using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Delivery.Scheduling;

internal static partial class DeliveryWorkerLog
{
    [LoggerMessage(EventId = EventIds.Delivery.QueueUnavailable, Level = LogLevel.Error, Message = "queue unavailable for delivery; retrying in 1 s, or at once when a message is queued")]
    public static partial void QueueUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.Delivery.AttemptDeferred, Level = LogLevel.Information, Message = "{QueueId}: attempt {Attempt} done: {Delivered} delivered, {Failed} failed, {Pending} deferred until {NextAttemptAt:O}")]
    public static partial void AttemptDeferred(ILogger logger, string queueId, int attempt, int delivered, int failed, int pending, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = EventIds.Delivery.AttemptDone, Level = LogLevel.Information, Message = "{QueueId}: attempt {Attempt} done: {Delivered} delivered, {Failed} failed, none pending")]
    public static partial void AttemptDone(ILogger logger, string queueId, int attempt, int delivered, int failed);

    [LoggerMessage(EventId = EventIds.Delivery.AttemptCrashed, Level = LogLevel.Error, Message = "{QueueId}: delivery attempt failed unexpectedly; the lease will expire and the message be retried")]
    public static partial void AttemptCrashed(ILogger logger, Exception exception, string queueId);

    [LoggerMessage(EventId = EventIds.Delivery.BounceQueued, Level = LogLevel.Information, Message = "{QueueId}: sender non-delivery notification queued as {DsnQueueId} to <{Sender}>")]
    public static partial void BounceQueued(ILogger logger, string queueId, string dsnQueueId, string sender);

    [LoggerMessage(EventId = EventIds.Delivery.NotificationQueued, Level = LogLevel.Information, Message = "{QueueId}: delivery status notification ({Actions}) queued as {DsnQueueId} to <{Sender}>")]
    public static partial void NotificationQueued(ILogger logger, string queueId, string actions, string dsnQueueId, string sender);

    [LoggerMessage(EventId = EventIds.Delivery.NotificationNotWanted, Level = LogLevel.Information, Message = "{QueueId}: no {Action} notification for <{Recipient}>: the client's NOTIFY excludes it")]
    public static partial void NotificationNotWanted(ILogger logger, string queueId, string action, string recipient);

    [LoggerMessage(EventId = EventIds.Delivery.NoBounceToNullSender, Level = LogLevel.Information, Message = "{QueueId}: {FailedCount} recipients failed; no notification, the sender is <>")]
    public static partial void NoBounceToNullSender(ILogger logger, string queueId, int failedCount);

    [LoggerMessage(EventId = EventIds.Delivery.LeaseLost, Level = LogLevel.Warning, Message = "{QueueId}: attempt {Attempt} not recorded, its lease was lost to another worker")]
    public static partial void LeaseLost(ILogger logger, string queueId, int attempt);

    [LoggerMessage(EventId = EventIds.Delivery.BounceNotWritten, Level = LogLevel.Error, Message = "{QueueId}: no delivery status notification could be written for sender <{Sender}>")]
    public static partial void BounceNotWritten(ILogger logger, Exception exception, string queueId, string sender);

    [LoggerMessage(EventId = EventIds.Delivery.DestinationCrashed, Level = LogLevel.Error, Message = "{QueueId}: delivery to {Destination} failed unexpectedly; its {RecipientCount} recipients are deferred, the other destinations' outcomes are kept")]
    public static partial void DestinationCrashed(ILogger logger, Exception exception, string queueId, string destination, int recipientCount);
}
