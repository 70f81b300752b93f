using System.Net;

namespace RelaySigner.Dmarc.Reports;

/// <summary>What one reporter saw from one source IP for one domain, summed over the reports read.</summary>
/// <param name="KnownSource">True when the IP is one of this relay's outbound addresses.</param>
/// <param name="Dispositions">Messages per disposition the receiver applied: none, quarantine, reject.</param>
public sealed record SourceSummary(
    string OrgName,
    string Domain,
    IPAddress SourceIp,
    bool KnownSource,
    long Messages,
    long DkimAligned,
    long SpfAligned,
    long DmarcPass,
    IReadOnlyDictionary<string, long> Dispositions)
{
    /// <summary>Mail that fails DMARC from an address that is not ours: spoofing, or a sender nobody told us about.</summary>
    public bool Suspicious => !KnownSource && DmarcPass < Messages;
}
