using Microsoft.Extensions.Logging;

namespace RelaySigner.Intake;

internal static partial class IntakeLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "SMTP listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "{QueueId}: accepted from={Sender} nrcpt={RecipientCount} size={Size} client={ClientAddress} d={SigningDomain}")]
    public static partial void Accepted(ILogger logger, string queueId, string sender, int recipientCount, int size, string? clientAddress, string? signingDomain);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "relay denied: client={ClientAddress} to={Recipient}")]
    public static partial void RelayDenied(ILogger logger, string? clientAddress, string recipient);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "message refused: client={ClientAddress} from={Sender} reply={Reply}")]
    public static partial void Refused(ILogger logger, string? clientAddress, string sender, string reply);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "could not queue message: client={ClientAddress} from={Sender}; answered 451")]
    public static partial void QueueFailed(ILogger logger, Exception exception, string? clientAddress, string sender);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "SMTP session faulted: client={ClientAddress}")]
    public static partial void SessionFaulted(ILogger logger, Exception exception, string? clientAddress);
}
