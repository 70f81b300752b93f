namespace RelaySigner.Dmarc.Reports;

/// <summary>
/// Bounds on what a report file may cost to read. Real aggregate reports are kilobytes to a few megabytes; the
/// limits stop a hostile file (zip bomb, gzip bomb, endless XML) long before it exhausts memory.
/// </summary>
public sealed record ReportLimits(long MaxFileBytes, long MaxXmlBytes, int MaxArchiveEntries, int MaxRecords)
{
    public static ReportLimits Default { get; } = new(
        MaxFileBytes: 32L * 1024 * 1024,
        MaxXmlBytes: 128L * 1024 * 1024,
        MaxArchiveEntries: 64,
        MaxRecords: 1_000_000);
}
