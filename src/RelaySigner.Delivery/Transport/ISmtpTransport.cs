using RelaySigner.Core;
using RelaySigner.Core.Dsn;
using RelaySigner.Core.Queue;
using RelaySigner.Delivery.Routing;

namespace RelaySigner.Delivery.Transport;

/// <summary>Delivers one message to one resolved destination over SMTP.</summary>
public interface ISmtpTransport
{
    /// <summary>
    /// Tries the route's hosts and addresses in order until one SMTP session decides the recipients, and returns
    /// exactly one outcome per entry of <paramref name="recipients"/>, in the same order: Delivered (2xx, with the
    /// server's reply to the final "."), Failed (5xx) or Pending (4xx, connection problems, timeouts, drops, any
    /// unexpected error). Does not throw for delivery problems; throws <see cref="OperationCanceledException"/>
    /// only when <paramref name="cancellationToken"/> fires before the outcome is known.
    /// </summary>
    /// <param name="id">For logs.</param>
    /// <param name="sender">The envelope sender; empty for the null reverse path <c>&lt;&gt;</c>. Sent as MAIL FROM unless a
    /// return-path domain applies to the message's From domain: then each recipient gets its own transaction with its
    /// VERP address.</param>
    /// <param name="recipients">RCPT TO addresses, all routed to <paramref name="route"/>.</param>
    /// <param name="recipientIndexes">Each recipient's place in the message's envelope, in the order of
    /// <paramref name="recipients"/>: what a VERP Return-Path names (<see cref="Core.Delivery.IReturnPaths"/>).</param>
    /// <param name="content">The stored, DKIM-signed message (CRLF line endings); sent unchanged.</param>
    /// <param name="route">Where to deliver, from <see cref="IDestinationResolver"/>.</param>
    /// <param name="dsn">The message's DSN parameters (RFC 3461), passed on to a server that offers DSN; null when none.</param>
    Task<IReadOnlyList<RecipientOutcome>> DeliverAsync(
        QueueId id,
        string sender,
        IReadOnlyList<string> recipients,
        IReadOnlyList<int> recipientIndexes,
        byte[] content,
        Destination route,
        DsnRequest? dsn,
        CancellationToken cancellationToken);
}
