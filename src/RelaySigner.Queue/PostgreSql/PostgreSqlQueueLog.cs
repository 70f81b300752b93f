using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Queue.PostgreSql;

/// <summary>
/// Log messages of the PostgreSQL queue that the embedded one has no counterpart for; per message it logs the same
/// events as the embedded queue (<see cref="QueueLog"/>). Never a password: the connection is named by host and
/// database only.
/// </summary>
internal static partial class PostgreSqlQueueLog
{
    [LoggerMessage(EventId = EventIds.Queue.PostgreSqlOpened, Level = LogLevel.Information,
        Message = "Queue opened on PostgreSQL database {Database} at {Host}, schema version {SchemaVersion}, node {NodeName}")]
    public static partial void Opened(ILogger logger, string database, string host, int schemaVersion, string nodeName);

    [LoggerMessage(EventId = EventIds.Queue.PostgreSqlUpgraded, Level = LogLevel.Information,
        Message = "Queue schema in PostgreSQL database {Database} upgraded from version {FromVersion} to {ToVersion}")]
    public static partial void Upgraded(ILogger logger, string database, int fromVersion, int toVersion);

    [LoggerMessage(EventId = EventIds.Queue.PostgreSqlLeasesReleased, Level = LogLevel.Information,
        Message = "Queue closing: released {LeaseCount} leases of node {NodeName}, their messages are due now for the other nodes")]
    public static partial void LeasesReleased(ILogger logger, int leaseCount, string nodeName);

    [LoggerMessage(EventId = EventIds.Queue.PostgreSqlLeasesNotReleased, Level = LogLevel.Warning,
        Message = "Queue closing: the {LeaseCount} leases of node {NodeName} could not be released; they expire at the end of their lease")]
    public static partial void LeasesNotReleased(ILogger logger, int leaseCount, string nodeName, Exception exception);

    [LoggerMessage(EventId = EventIds.Queue.PostgreSqlListening, Level = LogLevel.Information,
        Message = "Queue notifications: listening for the other nodes' new messages")]
    public static partial void Listening(ILogger logger);

    [LoggerMessage(EventId = EventIds.Queue.PostgreSqlListenFailed, Level = LogLevel.Warning,
        Message = "Queue notifications: the listening connection failed ({Reason}); reconnecting in {Delay}, deliveries poll meanwhile")]
    public static partial void ListenFailed(ILogger logger, TimeSpan delay, string reason);

    [LoggerMessage(EventId = EventIds.Queue.PostgreSqlNotifyFailed, Level = LogLevel.Warning,
        Message = "Queue notifications: the other nodes could not be told of new messages ({Reason}); they find them at their next poll")]
    public static partial void NotifyFailed(ILogger logger, string reason);
}
