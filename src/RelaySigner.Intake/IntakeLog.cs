using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Intake;

/// <summary>Intake's log lines (event ids 1000-1999). Never a Subject, a body or a password.</summary>
internal static partial class IntakeLog
{
    [LoggerMessage(EventId = EventIds.Intake.Listening, Level = LogLevel.Information, Message = "SMTP listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = EventIds.Intake.Accepted, Level = LogLevel.Information, Message = "{QueueId}: accepted from={Sender} nrcpt={RecipientCount} size={Size} client={ClientAddress} user={User} d={SigningDomain}")]
    public static partial void Accepted(ILogger logger, string queueId, string sender, int recipientCount, int size, string? clientAddress, string? user, string? signingDomain);

    [LoggerMessage(EventId = EventIds.Intake.RelayDenied, Level = LogLevel.Warning, Message = "relay denied: client={ClientAddress} to={Recipient}")]
    public static partial void RelayDenied(ILogger logger, string? clientAddress, string recipient);

    [LoggerMessage(EventId = EventIds.Intake.Refused, Level = LogLevel.Information, Message = "message refused: client={ClientAddress} user={User} from={Sender} size={Size} reply={Reply}")]
    public static partial void Refused(ILogger logger, string? clientAddress, string? user, string sender, int size, string reply);

    [LoggerMessage(EventId = EventIds.Intake.QueueFailed, Level = LogLevel.Error, Message = "could not queue message: client={ClientAddress} from={Sender}; answered 451")]
    public static partial void QueueFailed(ILogger logger, Exception exception, string? clientAddress, string sender);

    [LoggerMessage(EventId = EventIds.Intake.SessionFaulted, Level = LogLevel.Warning, Message = "SMTP session faulted: client={ClientAddress}")]
    public static partial void SessionFaulted(ILogger logger, Exception exception, string? clientAddress);

    [LoggerMessage(EventId = EventIds.Intake.SessionClosed, Level = LogLevel.Information, Message = "session closed by the relay: client={ClientAddress} reply={Reply}")]
    public static partial void SessionClosed(ILogger logger, string? clientAddress, string reply);

    [LoggerMessage(EventId = EventIds.Intake.ConnectionRefused, Level = LogLevel.Warning, Message = "connection refused, too many connections: client={ClientAddress}")]
    public static partial void ConnectionRefused(ILogger logger, string clientAddress);

    [LoggerMessage(EventId = EventIds.Intake.AuthSucceeded, Level = LogLevel.Information, Message = "authenticated: client={ClientAddress} user={User}")]
    public static partial void AuthSucceeded(ILogger logger, string? clientAddress, string user);

    [LoggerMessage(EventId = EventIds.Intake.AuthFailed, Level = LogLevel.Warning, Message = "authentication failed: client={ClientAddress}")]
    public static partial void AuthFailed(ILogger logger, string? clientAddress);

    [LoggerMessage(EventId = EventIds.Intake.AuthThrottled, Level = LogLevel.Warning, Message = "authentication refused, too many failures: client={ClientAddress}")]
    public static partial void AuthThrottled(ILogger logger, string? clientAddress);

    [LoggerMessage(EventId = EventIds.Intake.TooManyRecipients, Level = LogLevel.Warning, Message = "too many recipients: client={ClientAddress} from={Sender}")]
    public static partial void TooManyRecipients(ILogger logger, string? clientAddress, string sender);

    [LoggerMessage(EventId = EventIds.Intake.ConnectionClosed, Level = LogLevel.Debug, Message = "connection closed: client={ClientAddress} open={OpenConnections}")]
    public static partial void ConnectionClosed(ILogger logger, string clientAddress, int openConnections);

    [LoggerMessage(EventId = EventIds.Intake.ConnectionRefusedStopping, Level = LogLevel.Information, Message = "connection refused, relay stopping: client={ClientAddress}")]
    public static partial void ConnectionRefusedStopping(ILogger logger, string clientAddress);

    [LoggerMessage(EventId = EventIds.Intake.Draining, Level = LogLevel.Information, Message = "SMTP stopping: new connections get 421 4.3.2, waiting up to {Timeout} for {InData} messages in DATA")]
    public static partial void Draining(ILogger logger, TimeSpan timeout, int inData);

    [LoggerMessage(EventId = EventIds.Intake.DrainTimedOut, Level = LogLevel.Warning, Message = "SMTP stop: {InData} messages still in DATA after {Timeout}; closing them (their clients got no 250 and will retry)")]
    public static partial void DrainTimedOut(ILogger logger, TimeSpan timeout, int inData);

    [LoggerMessage(EventId = EventIds.Intake.ConnectionLost, Level = LogLevel.Information, Message = "connection lost: client={ClientAddress} ({Reason})")]
    public static partial void ConnectionLost(ILogger logger, string? clientAddress, string reason);

    [LoggerMessage(EventId = EventIds.Intake.TlsHandshakeFailed, Level = LogLevel.Information, Message = "TLS handshake failed: client={ClientAddress} ({Reason})")]
    public static partial void TlsHandshakeFailed(ILogger logger, string? clientAddress, string reason);

    [LoggerMessage(EventId = EventIds.Intake.SenderRefused, Level = LogLevel.Warning, Message = "sender refused: client={ClientAddress} user={User} from={Sender} is not in the client's domains")]
    public static partial void SenderRefused(ILogger logger, string? clientAddress, string? user, string sender);

    [LoggerMessage(EventId = EventIds.Intake.CertificateReloaded, Level = LogLevel.Information, Message = "TLS certificate reloaded: {Subject}, valid until {NotAfter:o}")]
    public static partial void CertificateReloaded(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(EventId = EventIds.Intake.CertificateReloadFailed, Level = LogLevel.Warning, Message = "TLS certificate {Path} changed but does not load ({Reason}); the previous one stays in use")]
    public static partial void CertificateReloadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = EventIds.Intake.RecipientSuppressed, Level = LogLevel.Information,
        Message = "recipient suppressed, not queued: client={ClientAddress} from={Sender} to={Recipient} list={Domain} reason={Reason}")]
    public static partial void RecipientSuppressed(ILogger logger, string? clientAddress, string sender, string recipient, string domain, string reason);
}
