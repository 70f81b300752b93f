using Microsoft.Extensions.Logging;

namespace RelaySigner.Delivery.Scheduling;

internal static partial class DeliveryWorkerLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "queue unavailable for delivery; retrying in 1 s")]
    public static partial void QueueUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "{QueueId}: attempt {Attempt} done: {Delivered} delivered, {Failed} failed, {Pending} deferred until {NextAttemptAt:O}")]
    public static partial void AttemptDeferred(ILogger logger, string queueId, int attempt, int delivered, int failed, int pending, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "{QueueId}: attempt {Attempt} done: {Delivered} delivered, {Failed} failed, none pending")]
    public static partial void AttemptDone(ILogger logger, string queueId, int attempt, int delivered, int failed);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "{QueueId}: delivery attempt failed unexpectedly; the lease will expire and the message be retried")]
    public static partial void AttemptCrashed(ILogger logger, Exception exception, string queueId);
}
