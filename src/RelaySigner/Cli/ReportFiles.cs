using RelaySigner.Dmarc.Reports;

namespace RelaySigner.Cli;

/// <summary>The report files the dmarc verbs read: files, or folders standing for the files in them.</summary>
internal static class ReportFiles
{
    /// <summary>
    /// Reads every file, and every file under a folder given instead of one (hidden files skipped). Each file that
    /// cannot be read gets its own error line and the rest are still read.
    /// </summary>
    public static (List<AggregateReport> Reports, int Failed) Read(IEnumerable<string> paths, TextWriter errors)
    {
        var reader = new ReportFileReader(ReportLimits.Default);
        var reports = new List<AggregateReport>();
        var failed = 0;
        foreach (var path in paths.SelectMany(Expand))
        {
            try
            {
                reports.AddRange(reader.Read(path));
            }
            catch (InvalidReportException ex)
            {
                errors.WriteLine($"error: {ex.Message}");
                failed++;
            }
        }

        return (reports, failed);
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true }).Order(StringComparer.Ordinal)
            : [path];
}
