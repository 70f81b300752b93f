using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Feedback.Metrics;

internal static partial class FeedbackGaugesLog
{
    [LoggerMessage(EventId = EventIds.Feedback.GaugesNotRefreshed, Level = LogLevel.Warning,
        Message = "feedback gauges not refreshed (store unavailable); they keep their last values, next try in {RetryIn}")]
    public static partial void NotRefreshed(ILogger logger, Exception exception, TimeSpan retryIn);
}
