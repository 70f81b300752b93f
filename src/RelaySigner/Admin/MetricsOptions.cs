using RelaySigner.Core.Telemetry;

namespace RelaySigner.Admin;

/// <summary>What <c>/metrics</c> names, bound from <c>Relay:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Relay:Metrics";

    /// <summary>
    /// Recipient domains that always get their own <c>destination</c> label, e.g. the big mailbox providers you send
    /// to. Default: none.
    /// </summary>
    public List<string> Destinations { get; set; } = [];

    /// <summary>
    /// How many other recipient domains get their own <c>destination</c> label, the first seen since start; later
    /// ones are counted as <c>other</c>. Default: 100.
    /// </summary>
    public int MaxOtherDestinations { get; set; } = DestinationLabels.DefaultMaxOthers;
}
