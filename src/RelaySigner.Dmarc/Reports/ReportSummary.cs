namespace RelaySigner.Dmarc.Reports;

/// <summary>The summary of a set of aggregate reports, duplicates removed.</summary>
public sealed record ReportSummary(
    int Reports,
    DateTimeOffset? Begin,
    DateTimeOffset? End,
    IReadOnlyList<DomainSummary> Domains,
    IReadOnlyList<SourceSummary> Sources);
