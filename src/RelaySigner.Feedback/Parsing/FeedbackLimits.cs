namespace RelaySigner.Feedback.Parsing;

/// <summary>Bounds on what the parser reads: what comes back is written by strangers.</summary>
public sealed record FeedbackLimits
{
    public static readonly FeedbackLimits Default = new();

    /// <summary>Largest message read (10 MiB); a bounce quoting a whole large message is cut here, a larger file refused.</summary>
    public long MaxMessageBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>MIME nesting followed (a report inside a forwarded message is depth 3); deeper parts are left as leaves.</summary>
    public int MaxMimeDepth { get; init; } = 8;

    /// <summary>Characters of human-readable text searched for recipients and reasons (the part before the quoted message).</summary>
    public int MaxTextChars { get; init; } = 64 * 1024;

    /// <summary>Recipients reported from one message.</summary>
    public int MaxRecipients { get; init; } = 100;
}
