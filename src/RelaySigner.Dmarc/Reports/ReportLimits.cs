namespace RelaySigner.Dmarc.Reports;

/// <summary>
/// Bounds on what a report file may cost to read. Real aggregate reports are kilobytes to a few megabytes; the
/// limits stop a hostile file (zip bomb, gzip bomb, endless XML) long before it exhausts memory.
/// </summary>
/// <param name="MaxXmlDepth">
/// Deepest element nesting accepted. A report needs five levels (feedback › record › auth_results › dkim › domain);
/// the margin leaves room for extensions. Bounding it also keeps loading linear: LINQ to XML checks every added
/// node against its ancestors, so 100,000 nested elements cost 15 s of CPU.
/// </param>
/// <param name="MaxMessagesPerReport">
/// Most messages one report may count, all rows together: a trillion is far above any receiver's daily volume,
/// and the sums of nine million such reports still fit in a <see cref="long"/>.
/// </param>
public sealed record ReportLimits(long MaxFileBytes, long MaxXmlBytes, int MaxArchiveEntries, int MaxRecords, int MaxXmlDepth, long MaxMessagesPerReport)
{
    public static ReportLimits Default { get; } = new(
        MaxFileBytes: 32L * 1024 * 1024,
        MaxXmlBytes: 128L * 1024 * 1024,
        MaxArchiveEntries: 64,
        MaxRecords: 1_000_000,
        MaxXmlDepth: 16,
        MaxMessagesPerReport: 1_000_000_000_000);
}
