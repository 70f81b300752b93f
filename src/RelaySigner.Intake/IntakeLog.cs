using Microsoft.Extensions.Logging;

namespace RelaySigner.Intake;

/// <summary>Intake's log lines (event ids 1000-1999). Never a Subject, a body or a password.</summary>
internal static partial class IntakeLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "SMTP listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "{QueueId}: accepted from={Sender} nrcpt={RecipientCount} size={Size} client={ClientAddress} user={User} d={SigningDomain}")]
    public static partial void Accepted(ILogger logger, string queueId, string sender, int recipientCount, int size, string? clientAddress, string? user, string? signingDomain);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "relay denied: client={ClientAddress} to={Recipient}")]
    public static partial void RelayDenied(ILogger logger, string? clientAddress, string recipient);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "message refused: client={ClientAddress} user={User} from={Sender} size={Size} reply={Reply}")]
    public static partial void Refused(ILogger logger, string? clientAddress, string? user, string sender, int size, string reply);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "could not queue message: client={ClientAddress} from={Sender}; answered 451")]
    public static partial void QueueFailed(ILogger logger, Exception exception, string? clientAddress, string sender);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "SMTP session faulted: client={ClientAddress}")]
    public static partial void SessionFaulted(ILogger logger, Exception exception, string? clientAddress);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "session closed by the relay: client={ClientAddress} reply={Reply}")]
    public static partial void SessionClosed(ILogger logger, string? clientAddress, string reply);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "connection refused, too many connections: client={ClientAddress}")]
    public static partial void ConnectionRefused(ILogger logger, string clientAddress);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "authenticated: client={ClientAddress} user={User}")]
    public static partial void AuthSucceeded(ILogger logger, string? clientAddress, string user);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "authentication failed: client={ClientAddress}")]
    public static partial void AuthFailed(ILogger logger, string? clientAddress);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "authentication refused, too many failures: client={ClientAddress}")]
    public static partial void AuthThrottled(ILogger logger, string? clientAddress);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "too many recipients: client={ClientAddress} from={Sender}")]
    public static partial void TooManyRecipients(ILogger logger, string? clientAddress, string sender);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Debug, Message = "connection closed: client={ClientAddress} open={OpenConnections}")]
    public static partial void ConnectionClosed(ILogger logger, string clientAddress, int openConnections);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "connection refused, relay stopping: client={ClientAddress}")]
    public static partial void ConnectionRefusedStopping(ILogger logger, string clientAddress);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Information, Message = "SMTP stopping: new connections get 421 4.3.2, waiting up to {Timeout} for {InData} messages in DATA")]
    public static partial void Draining(ILogger logger, TimeSpan timeout, int inData);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Warning, Message = "SMTP stop: {InData} messages still in DATA after {Timeout}; closing them (their clients got no 250 and will retry)")]
    public static partial void DrainTimedOut(ILogger logger, TimeSpan timeout, int inData);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "connection lost: client={ClientAddress} ({Reason})")]
    public static partial void ConnectionLost(ILogger logger, string? clientAddress, string reason);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "TLS handshake failed: client={ClientAddress} ({Reason})")]
    public static partial void TlsHandshakeFailed(ILogger logger, string? clientAddress, string reason);

    [LoggerMessage(EventId = 1150, Level = LogLevel.Warning, Message = "sender refused: client={ClientAddress} user={User} from={Sender} is not in the client's domains")]
    public static partial void SenderRefused(ILogger logger, string? clientAddress, string? user, string sender);

    [LoggerMessage(EventId = 1190, Level = LogLevel.Information, Message = "TLS certificate reloaded: {Subject}, valid until {NotAfter:o}")]
    public static partial void CertificateReloaded(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 1191, Level = LogLevel.Warning, Message = "TLS certificate {Path} changed but does not load ({Reason}); the previous one stays in use")]
    public static partial void CertificateReloadFailed(ILogger logger, string path, string reason);
}
