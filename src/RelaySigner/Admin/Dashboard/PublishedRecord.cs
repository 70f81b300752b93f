using RelaySigner.Dmarc.Records;

namespace RelaySigner.Admin.Dashboard;

/// <summary>What DNS said about a domain's DMARC record: the record (null: none published), or why it is not known.</summary>
public sealed record PublishedRecord(DmarcRecord? Record, string? Error);
