using RelaySigner.Core;

namespace RelaySigner.Feedback.Inbound;

/// <summary>What the relay still knows of a message it sent, from its queue or history: never its Subject or body.</summary>
/// <param name="Sender">The client's envelope sender (empty for <c>&lt;&gt;</c>): where a forwarded bounce goes.</param>
/// <param name="MessageId">The Message-ID header value, where it had one.</param>
/// <param name="Recipients">The envelope recipients by index (what a VERP token names); empty when no longer known.</param>
/// <param name="FromDomain">The header From domain, where the store keeps it.</param>
public sealed record SentMessage(
    QueueId Id, string Sender, string? MessageId, DateTimeOffset ReceivedAt, IReadOnlyList<string> Recipients, string? FromDomain = null);
