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
        var reports = new List<AggregateReport>();
        var failed = 0;
        foreach (var (_, read) in ReadEach(paths, errors))
        {
            if (read is null)
            {
                failed++;
            }
            else
            {
                reports.AddRange(read);
            }
        }

        return (reports, failed);
    }

    /// <summary>
    /// The files one at a time, so a caller can handle each before the next is read: the reports of each, or null
    /// for a file that could not be read, after its error line.
    /// </summary>
    public static IEnumerable<(string Path, IReadOnlyList<AggregateReport>? Reports)> ReadEach(IEnumerable<string> paths, TextWriter errors)
    {
        var reader = new ReportFileReader(ReportLimits.Default);
        foreach (var path in paths.SelectMany(Expand))
        {
            IReadOnlyList<AggregateReport>? reports;
            try
            {
                reports = reader.Read(path);
            }
            catch (InvalidReportException ex)
            {
                errors.WriteLine($"error: {ex.Message}");
                reports = null;
            }

            yield return (path, reports);
        }
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true }).Order(StringComparer.Ordinal)
            : [path];
}
