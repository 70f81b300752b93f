using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Admin;

internal static partial class AdminLog
{
    [LoggerMessage(EventId = EventIds.Host.Listening, Level = LogLevel.Information, Message = "admin listening on {Url} (/healthz, /readyz, /metrics)")]
    public static partial void Listening(ILogger logger, string url);

    [LoggerMessage(EventId = EventIds.Host.NotReady, Level = LogLevel.Warning, Message = "not ready: {Check}: {Problem}")]
    public static partial void NotReady(ILogger logger, string check, string problem);

    [LoggerMessage(EventId = EventIds.Host.AdminLoginSucceeded, Level = LogLevel.Information, Message = "admin login: client={ClientAddress} user={User}")]
    public static partial void LoginSucceeded(ILogger logger, string? clientAddress, string user);

    [LoggerMessage(EventId = EventIds.Host.AdminLoginFailed, Level = LogLevel.Warning, Message = "admin login failed: client={ClientAddress}")]
    public static partial void LoginFailed(ILogger logger, string? clientAddress);

    [LoggerMessage(EventId = EventIds.Host.AdminLoginThrottled, Level = LogLevel.Warning, Message = "admin login refused, too many failures: client={ClientAddress}")]
    public static partial void LoginThrottled(ILogger logger, string? clientAddress);

    [LoggerMessage(EventId = EventIds.Host.AdminTokenRefused, Level = LogLevel.Warning, Message = "admin bearer token refused: client={ClientAddress}")]
    public static partial void TokenRefused(ILogger logger, string? clientAddress);

    [LoggerMessage(EventId = EventIds.Host.AdminTokenCreated, Level = LogLevel.Warning, Message = "admin token file {Path} was missing; made one with a random token (mode 0600): read it from there")]
    public static partial void TokenCreated(ILogger logger, string path);

    [LoggerMessage(EventId = EventIds.Host.DashboardPageFailed, Level = LogLevel.Error, Message = "dashboard page {Path} failed")]
    public static partial void PageFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = EventIds.Host.DashboardDnsFailed, Level = LogLevel.Information, Message = "dashboard: DMARC record of {Domain} not looked up: {Reason}")]
    public static partial void DnsFailed(ILogger logger, string domain, string reason);
}
