namespace RelaySigner.Dmarc.Reports;

/// <summary>All reported mail with a domain in From, summed over reporters and sources.</summary>
/// <param name="FromKnownSources">Messages sent from this relay's addresses.</param>
/// <param name="DkimAlignedFromKnownSources">Of those, messages whose DKIM passed aligned.</param>
public sealed record DomainSummary(
    string Domain,
    long Messages,
    long DmarcPass,
    long FromKnownSources,
    long DkimAlignedFromKnownSources,
    string PublishedPolicy);
