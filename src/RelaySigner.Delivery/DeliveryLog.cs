using Microsoft.Extensions.Logging;
using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Core.Telemetry;
using RelaySigner.Delivery.Routing;

namespace RelaySigner.Delivery;

/// <summary>
/// Delivery log lines, queue id first, in the spirit of Postfix's maillog. Envelope addresses, hosts and replies
/// only: never message content or the Subject.
/// </summary>
internal static partial class DeliveryLog
{
    /// <summary>The Postfix word for an outcome: sent, bounced, deferred.</summary>
    public static string StatusWord(RecipientStatus status) => status switch
    {
        RecipientStatus.Delivered => "sent",
        RecipientStatus.Failed => "bounced",
        _ => "deferred",
    };

    public static void Outcome(ILogger logger, QueueId queueId, RecipientOutcome outcome, string host, string ip, int port) =>
        RecipientRelayed(logger, queueId, outcome.Recipient, host, ip, port, StatusWord(outcome.Status), outcome.Reply);

    public static void Outcome(ILogger logger, QueueId queueId, RecipientOutcome outcome) =>
        RecipientNotRelayed(logger, queueId, outcome.Recipient, StatusWord(outcome.Status), outcome.Reply);

    [LoggerMessage(EventId = EventIds.Delivery.RecipientRelayed, Level = LogLevel.Information,
        Message = "{QueueId}: to=<{Recipient}>, relay={Host}[{Ip}]:{Port}, status={Status} ({Reply})")]
    public static partial void RecipientRelayed(
        ILogger logger, QueueId queueId, string recipient, string host, string ip, int port, string status, SmtpReply? reply);

    [LoggerMessage(EventId = EventIds.Delivery.RecipientNotRelayed, Level = LogLevel.Information,
        Message = "{QueueId}: to=<{Recipient}>, relay=none, status={Status} ({Reply})")]
    public static partial void RecipientNotRelayed(
        ILogger logger, QueueId queueId, string recipient, string status, SmtpReply? reply);

    [LoggerMessage(EventId = EventIds.Delivery.ConnectionFailed, Level = LogLevel.Information,
        Message = "{QueueId}: connection to {Host}[{Ip}]:{Port} failed, trying next: {Reply}")]
    public static partial void ConnectionFailed(ILogger logger, QueueId queueId, string host, string ip, int port, SmtpReply reply);

    [LoggerMessage(EventId = EventIds.Delivery.UntrustedCertificate, Level = LogLevel.Information,
        Message = "{QueueId}: untrusted TLS certificate from {Host}[{Ip}]:{Port} ({Errors}), subject {Subject}; continuing (opportunistic TLS)")]
    public static partial void UntrustedCertificate(
        ILogger logger, QueueId queueId, string host, string ip, int port, string errors, string? subject);

    [LoggerMessage(EventId = EventIds.Delivery.TlsEstablished, Level = LogLevel.Debug,
        Message = "{QueueId}: TLS connection established to {Host}[{Ip}]:{Port}: {Protocol} with cipher {Cipher}")]
    public static partial void TlsEstablished(
        ILogger logger, QueueId queueId, string host, string ip, int port, string protocol, string? cipher);

    [LoggerMessage(EventId = EventIds.Delivery.MessageUnparseable, Level = LogLevel.Error,
        Message = "{QueueId}: stored message cannot be parsed for delivery: {Reason}")]
    public static partial void MessageUnparseable(ILogger logger, QueueId queueId, string reason);

    [LoggerMessage(EventId = EventIds.Delivery.QuitFailed, Level = LogLevel.Debug,
        Message = "{QueueId}: QUIT to {Host}[{Ip}]:{Port} failed: {Reason}")]
    public static partial void QuitFailed(ILogger logger, QueueId queueId, string host, string ip, int port, string reason);

    [LoggerMessage(EventId = EventIds.Delivery.DestinationResolved, Level = LogLevel.Debug,
        Message = "Destination {Domain} resolved: {Route}")]
    public static partial void DestinationResolved(ILogger logger, string domain, Destination route);

    [LoggerMessage(EventId = EventIds.Delivery.DestinationNotResolved, Level = LogLevel.Information,
        Message = "Destination {Domain} not resolved: {Failure}")]
    public static partial void DestinationNotResolved(ILogger logger, string domain, SmtpReply failure);
}
