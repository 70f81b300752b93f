namespace RelaySigner.Dmarc.Reports;

/// <summary>The reporter and the period a report covers.</summary>
public sealed record ReportMetadata(string OrgName, string ReportId, DateTimeOffset Begin, DateTimeOffset End);
