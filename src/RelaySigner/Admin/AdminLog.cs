using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Admin;

internal static partial class AdminLog
{
    [LoggerMessage(EventId = EventIds.Host.Listening, Level = LogLevel.Information, Message = "admin listening on {Url} (/healthz, /readyz, /metrics)")]
    public static partial void Listening(ILogger logger, string url);

    [LoggerMessage(EventId = EventIds.Host.NotReady, Level = LogLevel.Warning, Message = "not ready: {Check}: {Problem}")]
    public static partial void NotReady(ILogger logger, string check, string problem);
}
