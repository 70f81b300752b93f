using RelaySigner.Dmarc.Reports;

namespace RelaySigner.Cli;

internal static class ReportFiles
{
    /// <summary>Reads every file, reporting each unreadable one on stderr and going on with the rest.</summary>
    public static (List<AggregateReport> Reports, int Failed) Read(IEnumerable<string> paths)
    {
        var reader = new ReportFileReader(ReportLimits.Default);
        var reports = new List<AggregateReport>();
        var failed = 0;
        foreach (var path in paths)
        {
            try
            {
                reports.AddRange(reader.Read(path));
            }
            catch (InvalidReportException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                failed++;
            }
        }

        return (reports, failed);
    }
}
