using Microsoft.Extensions.Logging;
using RelaySigner.Core.Inbound;

namespace RelaySigner.Feedback.Unsubscribe;

/// <summary>
/// The <c>mailto:u-TOKEN@return-path-domain</c> of List-Unsubscribe (RFC 2369 §3.2): any mail to such an address
/// unsubscribes the recipient its token names, as the one-click POST does. Only the token counts (MAC checked by
/// AES-GCM), not the sender, which a forwarder or the recipient's other address may change; a forged or altered
/// token changes nothing and the mail is dropped, not bounced (the sender would learn nothing useful).
/// </summary>
public sealed class MailtoUnsubscribeHandler(
    IReadOnlyCollection<string> returnPathDomains,
    UnsubscribeTokenCodec codec,
    UnsubscribeRecorder recorder,
    ILogger<MailtoUnsubscribeHandler> logger) : IInboundRecipientHandler
{
    public const string Channel = "mailto";

    private readonly HashSet<string> _domains = new(returnPathDomains.Select(d => d.Trim().TrimEnd('.')), StringComparer.OrdinalIgnoreCase);

    public bool Owns(string recipient)
    {
        var at = recipient.LastIndexOf('@');
        return at > 0 &&
               recipient.StartsWith(UnsubscribeTokenCodec.LocalPartPrefix, StringComparison.OrdinalIgnoreCase) &&
               _domains.Contains(recipient[(at + 1)..].TrimEnd('.'));
    }

    public Task HandleAsync(InboundMessage message, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var tokens = new List<UnsubscribeToken>(recipients.Count);
        foreach (var recipient in recipients)
        {
            if (!UnsubscribeTokenCodec.TryParseLocalPart(recipient, out var sealedToken))
            {
                UnsubscribeLog.TokenRejected(logger, Channel, "malformed");
            }
            else if (!codec.TryOpen(sealedToken, out var token))
            {
                UnsubscribeLog.TokenRejected(logger, Channel, "not authentic");
            }
            else
            {
                tokens.Add(token);
            }
        }

        return recorder.RecordAsync(tokens, Channel, cancellationToken);
    }
}
