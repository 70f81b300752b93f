using System.Net;

namespace RelaySigner.Dmarc.Reports.Store;

/// <summary>One domain's mail from one source IP as one reporter saw it over a window.</summary>
public sealed record ReporterSourceTotals(string OrgName, IPAddress SourceIp, ReportTotals Totals);
