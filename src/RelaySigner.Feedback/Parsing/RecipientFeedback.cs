namespace RelaySigner.Feedback.Parsing;

/// <summary>One recipient of a bounce, complaint or auto-reply.</summary>
/// <param name="Recipient">The address the mail was sent to, where the message names it.</param>
/// <param name="Status">The enhanced status code (RFC 3463) where one was found, e.g. <c>5.1.1</c>.</param>
public sealed record RecipientFeedback(string? Recipient, string? Status, FeedbackKind Kind)
{
    /// <summary>Only a hard bounce or a complaint takes the recipient off the list; a block never does.</summary>
    public bool Suppress => Kind is FeedbackKind.Hard or FeedbackKind.Complaint;
}
