using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Feedback.Inbound;

/// <summary>The bounce handler's log lines (event ids 6200-6299): queue ids, addresses, kinds, codes; never a Subject or body.</summary>
internal static partial class FeedbackLog
{
    [LoggerMessage(EventId = EventIds.Feedback.BounceRecorded, Level = LogLevel.Information, Message = "{QueueId}: feedback kind={Kind} status={Status} recipient={Recipient} domain={Domain} suppressed={Suppressed}")]
    public static partial void Recorded(ILogger logger, string queueId, string recipient, string kind, string status, string domain, bool suppressed);

    [LoggerMessage(EventId = EventIds.Feedback.TokenRefused, Level = LogLevel.Warning, Message = "feedback to {ReturnPath} ignored: its token does not verify (forged, mangled or made under another secret)")]
    public static partial void TokenRefused(ILogger logger, string returnPath);

    [LoggerMessage(EventId = EventIds.Feedback.Unmatched, Level = LogLevel.Information, Message = "feedback ignored: from={Sender} client={ClientAddress}: {Reason}")]
    public static partial void Unmatched(ILogger logger, string sender, string? clientAddress, string reason);

    [LoggerMessage(EventId = EventIds.Feedback.Ignored, Level = LogLevel.Information, Message = "{QueueId}: feedback kind={Kind} recipient={Recipient} changes nothing")]
    public static partial void Ignored(ILogger logger, string queueId, string recipient, string kind);

    [LoggerMessage(EventId = EventIds.Feedback.BounceForwarded, Level = LogLevel.Information, Message = "{QueueId}: hard bounce of {Recipient} forwarded to the sender {Sender}")]
    public static partial void Forwarded(ILogger logger, string queueId, string recipient, string sender);
}
