using RelaySigner.Dmarc.Reports.Store;

namespace RelaySigner.Admin.Dashboard;

/// <summary>One UTC day of a domain's reported mail: all of it, and its volume by sender.</summary>
public sealed record DailyVolume(DateOnly Day, ReportTotals All, long FromRelay, long FromKnown, long FromUnknown);
