using System.CommandLine;
using RelaySigner.Cli;
using RelaySigner.Queue;
using RelaySigner.Queue.Reports;

namespace RelaySigner.Tests.Dmarc;

/// <summary><c>dmarc import</c>, and <c>dmarc report|advise</c> reading the relay's report store when given no files.</summary>
public sealed partial class DmarcCommandTests
{
    /// <summary>A queue folder as the relay leaves it, and the override that points the verbs at it.</summary>
    private string Queue()
    {
        var folder = Path.Combine(_folder.Path, "queue");
        Directory.CreateDirectory(folder);
        SqliteReportStore.Open(Path.Combine(folder, QueueOptions.DatabaseFileName), TimeProvider.System).Dispose();
        return $"--Relay:Queue:Path={folder}";
    }

    [Fact]
    public async Task Import_says_per_report_imported_or_duplicate_and_per_bad_file_an_error_and_exits_2()
    {
        var queue = Queue();
        var first = Write("a.xml", SampleReports.Xml(id: "1"));
        var zipped = Write("b.zip", SampleReports.Zip(("b.xml", System.Text.Encoding.UTF8.GetBytes(SampleReports.Xml(id: "2")))));
        var bad = Write("bad.xml", "<feedback>");
        var again = Write("again.xml.gz", SampleReports.Gzip(SampleReports.Xml(org: "GOOGLE.com", id: "1")));

        var (exit, output, errors) = await RunAsync("dmarc", "import", first, zipped, bad, again, queue);

        Assert.Equal(2, exit);
        Assert.Equal(
            [
                $"{first}: imported google.com 1 (example.com, 2 records)",
                $"{zipped}: imported google.com 2 (example.com, 2 records)",
                $"{again}: duplicate GOOGLE.com 1 (example.com, 2 records)",
            ],
            output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {bad}: not well-formed", errors);

        (exit, output, errors) = await RunAsync("dmarc", "import", first, queue);
        Assert.Equal((0, ""), (exit, errors));
        Assert.EndsWith("duplicate google.com 1 (example.com, 2 records)" + Environment.NewLine, output);
    }

    [Fact]
    public async Task Report_without_files_summarises_the_stored_reports_of_the_last_days()
    {
        var queue = Queue();
        var recent = DailyReports("recent", 2, SampleReports.Row("192.0.2.10", 40, "pass", "fail"));
        var old = Write("old.xml", SampleReports.Xml(id: "old")); // its period ended in 2026-11
        Assert.Equal(0, (await RunAsync("dmarc", "import", recent, old, queue)).Exit);

        var (exit, output, errors) = await RunAsync("dmarc", "report", "--days", "3", queue);

        Assert.Equal((0, ""), (exit, errors));
        Assert.StartsWith("2 report(s)", output);
        Assert.Contains("example.com  p=none sp=none pct=100  80", output);
    }

    [Fact]
    public async Task Advise_without_a_reports_folder_judges_the_stored_reports_of_the_domain()
    {
        var queue = Queue();
        var reports = DailyReports("reports", 14, SampleReports.Row("192.0.2.10", 100, "pass", "fail"));
        Assert.Equal(0, (await RunAsync("dmarc", "import", reports, queue)).Exit);

        var (exit, output, errors) = await RunAsync("dmarc", "advise", "--domain", "example.com", "--record", Record, "--relay-ip", "192.0.2.0/28", queue);

        Assert.Equal((0, ""), (exit, errors));
        Assert.Contains("evidence:  1400 messages over 14 of 14 days", output);
        Assert.Contains("ready:     yes", output);
    }

    [Fact]
    public async Task Import_into_a_folder_without_a_queue_is_a_configuration_error_and_creates_nothing()
    {
        var missing = Path.Combine(_folder.Path, "no-queue");
        var report = Write("a.xml", SampleReports.Xml());

        using var errors = new StringWriter();

        var exit = await RelayCommandLine.InvokeAsync(["dmarc", "import", report, $"--Relay:Queue:Path={missing}"],
            new InvocationConfiguration { Output = TextWriter.Null, Error = errors });

        Assert.Equal(78, exit);
        Assert.StartsWith($"error: no queue at {missing}", errors.ToString());
        Assert.False(Directory.Exists(missing));
    }
}
