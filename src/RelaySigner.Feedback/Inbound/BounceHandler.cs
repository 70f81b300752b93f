using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Inbound;
using RelaySigner.Feedback.Parsing;
using RelaySigner.Feedback.Tokens;

namespace RelaySigner.Feedback.Inbound;

/// <summary>
/// Takes what comes back to the VERP Return-Paths (<c>b-TOKEN@return-path-domain</c>) and the feedback addresses:
/// parses it (<see cref="FeedbackParser"/>), authenticates it by its token, and records what the receiver said in one
/// transaction of the suppression list: a hard bounce suppresses the recipient (<c>bounced</c> + <c>suppressed</c>),
/// a complaint too (<c>complained</c> + <c>suppressed</c>), a soft bounce or a block is only a <c>bounced</c> event
/// (a block says nothing against the address: promise 9), an auto-reply or an auth-failure report nothing.
/// </summary>
/// <remarks>
/// Promise 8: state changes only for a token whose MAC checks out (or, for a complaint whose provider dropped the
/// Return-Path, a quoted Message-ID of a message the relay sent to that very recipient). A forged or mangled token is
/// logged and ignored, and the listener still answers 250, so a forger learns nothing. A report naming a recipient
/// and a From domain alone is not taken: anyone can write one, and it would let a stranger suppress any address.
/// </remarks>
public sealed class BounceHandler(
    VerpTokenCodec tokens,
    FeedbackParser parser,
    IReturnPathDirectory returnPaths,
    ISentMessages sent,
    ISuppressionList suppressions,
    IBounceForwarding forwarding,
    IOptions<BounceOptions> options,
    TimeProvider time,
    ILogger<BounceHandler> logger) : IInboundRecipientHandler
{
    private readonly HashSet<string> _feedbackAddresses = new(options.Value.FeedbackAddresses.Select(a => a.Trim()), StringComparer.OrdinalIgnoreCase);

    public bool Owns(string recipient) => _feedbackAddresses.Contains(recipient) || IsReturnPath(recipient);

    public async Task HandleAsync(InboundMessage message, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        FeedbackReport report;
        using (var stream = new MemoryStream(message.Content.ToArray(), writable: false))
        {
            report = parser.Parse(stream);
        }

        // To a Return-Path, the envelope recipient carries the token (one recipient per transaction went out, so one
        // token per bounce); to a feedback address, the quoted original's Return-Path does.
        foreach (var returnPath in recipients.Where(IsReturnPath))
        {
            await HandleTokenAsync(returnPath, report, forwardable: true, cancellationToken).ConfigureAwait(false);
        }

        if (recipients.Any(_feedbackAddresses.Contains))
        {
            await HandleFeedbackAsync(message, report, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleFeedbackAsync(InboundMessage message, FeedbackReport report, CancellationToken cancellationToken)
    {
        if (report.OriginalReturnPath is { } quoted && IsReturnPath(quoted))
        {
            await HandleTokenAsync(quoted, report, forwardable: false, cancellationToken).ConfigureAwait(false);
            return;
        }

        // No token (some providers redact the Return-Path): the quoted Message-ID, of a message sent to that recipient.
        var row = report.Recipients.FirstOrDefault(r => r.Recipient is not null && r.Kind != FeedbackKind.Unknown);
        if (row is null || report.OriginalMessageId is not { } messageId)
        {
            FeedbackLog.Unmatched(logger, message.Sender, message.ClientAddress?.ToString(), "no token and no quoted Message-ID");
            return;
        }

        var original = (await sent.FindByMessageIdAsync(messageId, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(m => m.Recipients.Contains(row.Recipient!, StringComparer.OrdinalIgnoreCase));
        var domain = original is null ? null : returnPaths.OrganisationalDomain(original.FromDomain ?? report.OriginalFromDomain ?? string.Empty);
        if (original is null || domain is null)
        {
            FeedbackLog.Unmatched(logger, message.Sender, message.ClientAddress?.ToString(), $"no message with Message-ID <{messageId}> was sent to {row.Recipient}");
            return;
        }

        await RecordAsync(original.Id, original, row.Recipient!, row, domain, forward: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task HandleTokenAsync(string returnPath, FeedbackReport report, bool forwardable, CancellationToken cancellationToken)
    {
        if (!tokens.TryDecode(returnPath, out var token))
        {
            FeedbackLog.TokenRefused(logger, returnPath);
            return;
        }

        var original = await sent.FindAsync(token.QueueId, cancellationToken).ConfigureAwait(false);
        var known = original?.Recipients.ElementAtOrDefault(token.RecipientIndex);
        // The report's own row for the recipient the token names, else its one row (a forwarder may name the address
        // it forwarded to); with the history gone, the address the report names.
        var row = (known is null ? null : report.Recipients.FirstOrDefault(r => known.Equals(r.Recipient, StringComparison.OrdinalIgnoreCase)))
            ?? (report.Recipients.Count == 1 ? report.Recipients[0] : report.Recipients.FirstOrDefault(r => r.Kind != FeedbackKind.Unknown));
        var recipient = known ?? row?.Recipient;
        var domain = returnPaths.OrganisationalDomain(returnPath[(returnPath.LastIndexOf('@') + 1)..]);
        if (row is null || recipient is null || domain is null)
        {
            FeedbackLog.Unmatched(logger, token.QueueId.Value, null, "the report names no recipient the relay can tell");
            return;
        }

        await RecordAsync(token.QueueId, original, recipient, row, domain, forward: forwardable, cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordAsync(
        QueueId id, SentMessage? original, string recipient, RecipientFeedback row, string domain, bool forward, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var fromDomain = original?.FromDomain ?? domain;
        RelayEvent Event(RelayEventType type, string? kind) =>
            new(type, now, recipient, id, original?.MessageId, fromDomain, kind, row.Status);

        Suppression? suppression = null;
        List<RelayEvent> events = [];
        switch (row.Kind)
        {
            case FeedbackKind.Hard:
                suppression = new Suppression(domain, recipient, SuppressionReason.HardBounce, now, row.Status, id);
                events.Add(Event(RelayEventType.Bounced, FeedbackKinds.Name(row.Kind)));
                events.Add(Event(RelayEventType.Suppressed, FeedbackKinds.Name(SuppressionReason.HardBounce)));
                break;
            case FeedbackKind.Complaint:
                suppression = new Suppression(domain, recipient, SuppressionReason.Complaint, now, row.Status, id);
                events.Add(Event(RelayEventType.Complained, FeedbackKinds.Name(row.Kind)));
                events.Add(Event(RelayEventType.Suppressed, FeedbackKinds.Name(SuppressionReason.Complaint)));
                break;
            case FeedbackKind.Soft or FeedbackKind.Block:
                events.Add(Event(RelayEventType.Bounced, FeedbackKinds.Name(row.Kind)));
                break;
            default:
                FeedbackLog.Ignored(logger, id.Value, recipient, FeedbackKinds.Name(row.Kind));
                return;
        }

        await suppressions.RecordAsync(suppression is null ? [] : [suppression], events, cancellationToken).ConfigureAwait(false);
        FeedbackLog.Recorded(logger, id.Value, recipient, FeedbackKinds.Name(row.Kind), row.Status ?? string.Empty, domain, suppression is not null);

        // Recorded first: should queueing the notice fail, the 451 brings the bounce back and the suppression is kept once.
        if (forward && row.Kind == FeedbackKind.Hard && options.Value.ForwardToSender && original is { Sender.Length: > 0 })
        {
            await forwarding.ForwardAsync(original, recipient, row.Status, cancellationToken).ConfigureAwait(false);
            FeedbackLog.Forwarded(logger, id.Value, recipient, original.Sender);
        }
    }

    private bool IsReturnPath(string address)
    {
        var at = address.LastIndexOf('@');
        return at > VerpTokenCodec.Prefix.Length &&
            address.StartsWith(VerpTokenCodec.Prefix, StringComparison.OrdinalIgnoreCase) &&
            returnPaths.IsReturnPathDomain(address[(at + 1)..]);
    }
}
