namespace RelaySigner.Dmarc.Rollout;

/// <summary>What the reports must show before a domain's policy is tightened.</summary>
/// <param name="Days">Look at reports that end within this many days of now; they must cover this span.</param>
/// <param name="AlignedShare">Share of all reported volume that must pass DKIM aligned from this relay's sources.</param>
/// <param name="MinimumMessages">Below this volume the reports say too little to act on.</param>
public sealed record RolloutCriteria(int Days, double AlignedShare, long MinimumMessages)
{
    public static RolloutCriteria Default { get; } = new(Days: 14, AlignedShare: 0.98, MinimumMessages: 100);
}
