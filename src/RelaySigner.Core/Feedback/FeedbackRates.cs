namespace RelaySigner.Core.Feedback;

/// <summary>What one sending domain's mail met over a window: the basis of the complaint rate (Gmail's line is
/// 0.3 % of delivered mail) and the hard-bounce rate.</summary>
public sealed record FeedbackRates(long Delivered, long HardBounces, long Complaints)
{
    /// <summary>Complaints per delivered message; 0 when nothing was delivered.</summary>
    public double ComplaintRate => Delivered == 0 ? 0 : (double)Complaints / Delivered;

    /// <summary>Hard bounces per delivered or hard-bounced recipient; 0 when there were none.</summary>
    public double HardBounceRate => Delivered + HardBounces == 0 ? 0 : (double)HardBounces / (Delivered + HardBounces);
}
