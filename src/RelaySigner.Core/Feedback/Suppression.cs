namespace RelaySigner.Core.Feedback;

/// <summary>One entry of the suppression list: mail from <paramref name="Domain"/> is not delivered to
/// <paramref name="Recipient"/>.</summary>
/// <param name="Domain">The organisational domain of the From domain the entry applies to, lower case.</param>
/// <param name="Recipient">The recipient address; its domain compared ignoring case, its local part exactly.</param>
/// <param name="Status">The enhanced status code that decided it (e.g. <c>5.1.1</c>), where there was one.</param>
/// <param name="QueueId">The message whose bounce, complaint or unsubscribe caused it, where known.</param>
public sealed record Suppression(
    string Domain,
    string Recipient,
    SuppressionReason Reason,
    DateTimeOffset Since,
    string? Status = null,
    QueueId? QueueId = null);
