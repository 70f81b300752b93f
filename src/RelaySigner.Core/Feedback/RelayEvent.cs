namespace RelaySigner.Core.Feedback;

/// <summary>
/// One event for the sending application (the webhook). Never carries a Subject or body: only ids, addresses,
/// domains, a kind and a status.
/// </summary>
/// <param name="MessageId">The message's Message-ID header value, where it had one.</param>
/// <param name="FromDomain">The header From domain of the message, where known.</param>
/// <param name="Kind">For <see cref="RelayEventType.Bounced"/>: hard, soft, block…; for
/// <see cref="RelayEventType.Suppressed"/>: the suppression reason.</param>
/// <param name="Status">The enhanced status code (e.g. <c>5.1.1</c>), where there was one.</param>
public sealed record RelayEvent(
    RelayEventType Type,
    DateTimeOffset At,
    string Recipient,
    QueueId? QueueId = null,
    string? MessageId = null,
    string? FromDomain = null,
    string? Kind = null,
    string? Status = null);
