using Microsoft.Extensions.Logging;

namespace RelaySigner.Admin;

internal static partial class AdminLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "admin listening on {Url} (/healthz, /readyz, /metrics)")]
    public static partial void Listening(ILogger logger, string url);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "not ready: {Check}: {Problem}")]
    public static partial void NotReady(ILogger logger, string check, string problem);
}
