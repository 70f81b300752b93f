using System.Net;

namespace RelaySigner.Dmarc.Reports;

/// <summary>
/// One row: <see cref="Count"/> messages from <see cref="SourceIp"/> with the same results.
/// <see cref="DkimAligned"/> and <see cref="SpfAligned"/> are the reporter's DMARC evaluation (policy_evaluated):
/// a pass there means the mechanism passed and was aligned with the From domain.
/// </summary>
public sealed record ReportRecord(
    IPAddress SourceIp,
    long Count,
    string Disposition,
    bool DkimAligned,
    bool SpfAligned,
    string HeaderFrom,
    string? EnvelopeFrom,
    IReadOnlyList<AuthResult> Dkim,
    IReadOnlyList<AuthResult> Spf)
{
    public bool DmarcPass => DkimAligned || SpfAligned;
}
