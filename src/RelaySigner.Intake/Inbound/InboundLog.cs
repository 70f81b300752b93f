using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Intake.Inbound;

/// <summary>The inbound listener's log lines (event ids 1300-1349). Never a Subject or a body.</summary>
internal static partial class InboundLog
{
    [LoggerMessage(EventId = EventIds.Intake.InboundListening, Level = LogLevel.Information, Message = "inbound SMTP listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = EventIds.Intake.InboundAccepted, Level = LogLevel.Information, Message = "inbound: accepted from={Sender} nrcpt={RecipientCount} size={Size} client={ClientAddress}")]
    public static partial void Accepted(ILogger logger, string? clientAddress, string sender, int recipientCount, int size);

    [LoggerMessage(EventId = EventIds.Intake.InboundRecipientRefused, Level = LogLevel.Information, Message = "inbound: recipient refused, not an address of this server: client={ClientAddress} from={Sender} to={Recipient}")]
    public static partial void RecipientRefused(ILogger logger, string? clientAddress, string sender, string recipient);

    [LoggerMessage(EventId = EventIds.Intake.InboundRefused, Level = LogLevel.Information, Message = "inbound: message refused: client={ClientAddress} from={Sender} size={Size} reply={Reply}")]
    public static partial void Refused(ILogger logger, string? clientAddress, string sender, int size, string reply);

    [LoggerMessage(EventId = EventIds.Intake.InboundHandlerFailed, Level = LogLevel.Error, Message = "inbound: could not process message: client={ClientAddress} from={Sender}; answered 451")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string? clientAddress, string sender);
}
