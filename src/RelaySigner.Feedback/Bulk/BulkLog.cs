using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Feedback.Bulk;

/// <summary>The complaint-rate guard's log lines (event ids 6310–6319).</summary>
internal static partial class BulkLog
{
    [LoggerMessage(EventId = EventIds.Feedback.BulkPaused, Level = LogLevel.Warning, Message = "bulk mail of {Domain} paused: complaint rate {Rate:P3} ({Complaints} complaints, {Delivered} delivered) is above {Threshold:P3}; resume with: relaysigner bulk resume --domain {Domain}")]
    public static partial void Paused(ILogger logger, string domain, double rate, long complaints, long delivered, double threshold);

    [LoggerMessage(EventId = EventIds.Feedback.BulkResumed, Level = LogLevel.Information, Message = "bulk mail of {Domain} resumed by an operator")]
    public static partial void Resumed(ILogger logger, string domain);

    [LoggerMessage(EventId = EventIds.Feedback.BulkRateCheckFailed, Level = LogLevel.Warning, Message = "complaint-rate check failed; the last known pauses stay in force, next try in a minute")]
    public static partial void CheckFailed(ILogger logger, Exception exception);
}
