namespace RelaySigner.Dmarc.Reports.Store;

/// <summary>Sums over a set of report records. DKIM/SPF aligned and DMARC pass as the reporter evaluated them
/// (policy_evaluated); Quarantined and Rejected by the disposition the receiver applied.</summary>
public readonly record struct ReportTotals(long Messages, long DkimAligned, long SpfAligned, long DmarcPass, long Quarantined, long Rejected);
