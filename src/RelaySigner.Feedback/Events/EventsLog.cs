using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Feedback.Events;

internal static partial class EventsLog
{
    [LoggerMessage(EventId = EventIds.Feedback.WebhookStarted, Level = LogLevel.Information,
        Message = "events webhook: sending to {Endpoint}, {MaxConcurrentRequests} POSTs at a time")]
    public static partial void Started(ILogger logger, string endpoint, int maxConcurrentRequests);

    [LoggerMessage(EventId = EventIds.Feedback.EventAccepted, Level = LogLevel.Debug,
        Message = "{QueueId}: event {EventId} {Type} to=<{Recipient}> accepted by the webhook ({StatusCode})")]
    public static partial void Accepted(ILogger logger, string? queueId, long eventId, string type, string recipient, int statusCode);

    [LoggerMessage(EventId = EventIds.Feedback.EventNotAccepted, Level = LogLevel.Warning,
        Message = "{QueueId}: event {EventId} {Type} to=<{Recipient}> not accepted by the webhook: {Result} {Reason}; failure {Failures}, next try at {NextAttemptAt:o}")]
    public static partial void NotAccepted(ILogger logger, string? queueId, long eventId, string type, string recipient, WebhookResult result, string reason, int failures, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = EventIds.Feedback.OutboxUnavailable, Level = LogLevel.Error,
        Message = "events outbox unavailable ({Operation}); trying again in {RetryIn}, no event is lost (one sent but not marked done is sent again)")]
    public static partial void OutboxUnavailable(ILogger logger, Exception exception, string operation, TimeSpan retryIn);
}
