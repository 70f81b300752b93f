namespace RelaySigner.Feedback.Parsing;

/// <summary>What one message coming back says.</summary>
/// <param name="Recipients">Every recipient found; empty when nothing could be read.</param>
/// <param name="OriginalReturnPath">
/// The Return-Path of the original message where the report carries it (a complaint comes to the feedback address, so
/// its VERP token is found here rather than in the envelope).
/// </param>
public sealed record FeedbackReport(IReadOnlyList<RecipientFeedback> Recipients, string? OriginalReturnPath)
{
    public static readonly FeedbackReport Empty = new([], null);
}
