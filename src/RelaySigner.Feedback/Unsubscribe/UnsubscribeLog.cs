using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Feedback.Unsubscribe;

/// <summary>The unsubscribe log lines (event ids 6300–6309): addresses and domains, never a token's key or a body.</summary>
public static partial class UnsubscribeLog
{
    [LoggerMessage(EventId = EventIds.Feedback.Unsubscribed, Level = LogLevel.Information, Message = "unsubscribed: {Recipient} from mail of {Domain} via {Channel}")]
    public static partial void Unsubscribed(ILogger logger, string recipient, string domain, string channel);

    /// <param name="problem">"malformed" or "not authentic"; the token itself is not logged.</param>
    [LoggerMessage(EventId = EventIds.Feedback.UnsubscribeTokenRejected, Level = LogLevel.Information, Message = "unsubscribe via {Channel} refused: token {Problem}; nothing changed")]
    public static partial void TokenRejected(ILogger logger, string channel, string problem);

    [LoggerMessage(EventId = EventIds.Feedback.UnsubscribeListening, Level = LogLevel.Information, Message = "unsubscribe endpoint listening on {Url} (/u/TOKEN)")]
    public static partial void Listening(ILogger logger, string url);

    [LoggerMessage(EventId = EventIds.Feedback.UnsubscribeFailed, Level = LogLevel.Error, Message = "unsubscribe of {Recipient} from mail of {Domain} could not be stored; answered 503")]
    public static partial void Failed(ILogger logger, Exception exception, string recipient, string domain);
}
