namespace RelaySigner.Feedback.Parsing;

/// <summary>What one message coming back says.</summary>
/// <param name="Recipients">Every recipient found; empty when nothing could be read.</param>
/// <param name="OriginalReturnPath">
/// The Return-Path of the original message where the report carries it (a complaint comes to the feedback address, so
/// its VERP token is found here rather than in the envelope).
/// </param>
public sealed record FeedbackReport(IReadOnlyList<RecipientFeedback> Recipients, string? OriginalReturnPath)
{
    /// <summary>The Message-ID of the original message where the report quotes its header (without angle brackets):
    /// how a complaint whose provider dropped the Return-Path is matched to what the relay sent.</summary>
    public string? OriginalMessageId { get; init; }

    /// <summary>The domain of the original message's From, where the report quotes its header, lower case.</summary>
    public string? OriginalFromDomain { get; init; }

    public static readonly FeedbackReport Empty = new([], null);
}
