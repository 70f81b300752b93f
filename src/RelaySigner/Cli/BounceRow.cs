using RelaySigner.Feedback.Parsing;

namespace RelaySigner.Cli;

/// <summary>One recipient of one file, as <c>bounces parse</c> prints it.</summary>
internal sealed record BounceRow(string File, string? Recipient, string? Status, FeedbackKind Kind, bool Suppress);
