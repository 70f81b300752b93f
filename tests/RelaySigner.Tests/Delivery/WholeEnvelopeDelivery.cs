using RelaySigner.Core;
using RelaySigner.Core.Queue;
using RelaySigner.Delivery.Routing;
using RelaySigner.Delivery.Transport;

namespace RelaySigner.Tests.Delivery;

/// <summary>For tests whose recipients are a whole envelope: recipient i has envelope index i.</summary>
internal static class WholeEnvelopeDelivery
{
    public static Task<IReadOnlyList<RecipientOutcome>> DeliverAsync(this SmtpTransport transport,
        QueueId id, string sender, IReadOnlyList<string> recipients, byte[] content, Destination route, RelaySigner.Core.Dsn.DsnRequest? dsn,
        CancellationToken cancellationToken) =>
        transport.DeliverAsync(id, sender, recipients, [.. Enumerable.Range(0, recipients.Count)], content, route, dsn, cancellationToken);
}
