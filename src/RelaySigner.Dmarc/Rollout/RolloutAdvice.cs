using RelaySigner.Dmarc.Reports;

namespace RelaySigner.Dmarc.Rollout;

/// <summary>Whether a domain may move to the next DMARC stage, why, and the record to publish if so.</summary>
/// <param name="NextRecord">The TXT value for <c>_dmarc.&lt;domain&gt;</c> to publish next; null when there is no next step.</param>
/// <param name="DaysCovered">Days of the window that reports cover; <paramref name="MissingDays"/> are the others.</param>
/// <param name="UnknownSources">Sources that are not this relay and fail DMARC: spoofers, or senders to bring under the relay.</param>
public sealed record RolloutAdvice(
    string Domain,
    string CurrentRecord,
    bool Ready,
    string? NextRecord,
    IReadOnlyList<string> Reasons,
    long Messages,
    double AlignedShare,
    int DaysCovered,
    IReadOnlyList<DateOnly> MissingDays,
    IReadOnlyList<SourceSummary> UnknownSources);
