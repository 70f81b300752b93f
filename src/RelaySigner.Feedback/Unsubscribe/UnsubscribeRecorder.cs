using Microsoft.Extensions.Logging;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Feedback.Unsubscribe;

/// <summary>
/// What an unsubscribe does, whichever way it came (the one-click POST or the mailto): the recipient goes on the
/// suppression list of the token's domain (reason <see cref="SuppressionReason.Unsubscribe"/>) and an
/// <see cref="RelayEventType.Unsubscribed"/> event is appended, in one transaction of the store, durable when this
/// returns. An address already listed stays listed with its first reason; the event is still emitted.
/// </summary>
public sealed class UnsubscribeRecorder(ISuppressionList suppressions, TimeProvider time, ILogger<UnsubscribeRecorder> logger)
{
    /// <param name="channel"><c>https</c> or <c>mailto</c>: the event's kind and the log's.</param>
    public async Task RecordAsync(IReadOnlyList<UnsubscribeToken> tokens, string channel, CancellationToken cancellationToken)
    {
        if (tokens.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        await suppressions.RecordAsync(
            [.. tokens.Select(t => new Suppression(t.Domain, t.Recipient, SuppressionReason.Unsubscribe, now))],
            [.. tokens.Select(t => new RelayEvent(RelayEventType.Unsubscribed, now, t.Recipient, FromDomain: t.Domain, Kind: channel))],
            cancellationToken).ConfigureAwait(false);
        foreach (var token in tokens)
        {
            UnsubscribeLog.Unsubscribed(logger, token.Recipient, token.Domain, channel);
        }
    }
}
