using System.Net;

namespace RelaySigner.Dmarc.Reports.Store;

/// <summary>One domain's reported mail from one source IP on one UTC day.</summary>
public sealed record DailySourceTotals(DateOnly Day, IPAddress SourceIp, ReportTotals Totals);
