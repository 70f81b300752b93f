namespace RelaySigner.Dmarc.Reports;

/// <summary>One DMARC aggregate report (RFC 7489 Appendix C): who reported, the policy they saw, and the rows.</summary>
public sealed record AggregateReport(ReportMetadata Metadata, PublishedPolicy Policy, IReadOnlyList<ReportRecord> Records);
