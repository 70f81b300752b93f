namespace RelaySigner.Core.Feedback;

/// <summary>
/// The complaint-rate guard's state for one organisational domain: paused at <paramref name="PausedAt"/> with the
/// 24-hour complaint rate that caused it, and, once an operator resumed it, when (the guard then counts the rate
/// from that moment, so the complaints that caused the pause do not pause it again at once).
/// </summary>
public sealed record BulkPause(string Domain, DateTimeOffset PausedAt, double ComplaintRate, DateTimeOffset? ResumedAt = null)
{
    public bool IsPaused => ResumedAt is null;
}
