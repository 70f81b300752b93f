namespace RelaySigner.Feedback.Bulk;

/// <summary>Bulk mail's complaint-rate guard: <c>Relay:Bulk:…</c>.</summary>
public sealed class BulkOptions
{
    public const string SectionName = "Relay:Bulk";

    /// <summary>
    /// A complaint rate (complaints per delivered message over 24 hours, a fraction: <c>0.003</c> is Gmail's 0.3 %)
    /// above which a domain's bulk mail is paused: refused with 451 4.7.1 at intake until an operator runs
    /// <c>relaysigner bulk resume --domain D</c>. Default none (off).
    /// </summary>
    public double? PauseAboveComplaintRate { get; set; }

    /// <summary>
    /// Messages a domain must have delivered in the window before its rate can pause it: below that a rate says little
    /// (one complaint among 20 messages is 5 %). Default 1,000, where Gmail's 0.3 % is three complaints.
    /// </summary>
    public int PauseMinimumDelivered { get; set; } = 1000;
}
