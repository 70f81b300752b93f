using RelaySigner.Core;
using RelaySigner.Core.Delivery;
using RelaySigner.Feedback.Tokens;
using RelaySigner.Signing.Alignment;

namespace RelaySigner.Wiring;

/// <summary>
/// Delivery's VERP senders: the return-path domain the signing settings give the From domain, and the Feedback
/// stage's token for the message and recipient. The token codec (and so the bounce secret file) is only made once a
/// return-path domain is configured.
/// </summary>
public sealed class VerpReturnPaths(ReturnPathDomains domains, Lazy<VerpTokenCodec> codec) : IReturnPaths
{
    public bool Enabled => domains.Any;

    public string? For(QueueId id, int recipientIndex, string fromDomain) =>
        domains.For(fromDomain) is { } returnPathDomain
            ? codec.Value.EncodeAddress(new VerpToken(id, recipientIndex), returnPathDomain)
            : null;
}
