using System.CommandLine;
using System.Globalization;
using System.Text;
using RelaySigner.Cli;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Dmarc;

/// <summary><c>dmarc report</c> and <c>dmarc advise</c> as an operator runs them: exit codes, error lines, output.</summary>
public sealed partial class DmarcCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_folder.Path, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string Write(string name, string xml) => Write(name, Encoding.UTF8.GetBytes(xml));

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await RelayCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });
        return (exit, output.ToString(), errors.ToString());
    }

    /// <summary>One report a day (UTC) for the <paramref name="days"/> whole days before today, in <paramref name="folder"/>.</summary>
    private string DailyReports(string folder, int days, string rows)
    {
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        for (var back = 1; back <= days; back++)
        {
            var begin = today.AddDays(-back).ToUnixTimeSeconds();
            Write(Path.Combine(folder, $"r{back}.xml"), SampleReports.Xml(id: $"r{back}", rows: rows)
                .Replace("<begin>1795824000</begin><end>1795910399</end>", string.Create(CultureInfo.InvariantCulture, $"<begin>{begin}</begin><end>{begin + 86399}</end>")));
        }

        return Path.Combine(_folder.Path, folder);
    }

    [Fact]
    public async Task Report_reads_the_good_files_of_a_run_and_gives_each_bad_one_its_own_error_line()
    {
        var good = Write("good.xml", SampleReports.Xml(id: "1"));
        var overflow = Write("overflow.xml", SampleReports.Xml(id: "2", rows: SampleReports.Row("192.0.2.10", long.MaxValue, "pass", "pass")));
        var gzip = SampleReports.Gzip(SampleReports.Xml(id: "3"));
        gzip[^2] ^= 0xFF; // the length trailer
        var corrupt = Write("corrupt.xml.gz", gzip);
        var alsoGood = Write("also-good.xml.gz", SampleReports.Gzip(SampleReports.Xml(id: "4")));

        var (exit, output, errors) = await RunAsync("dmarc", "report", good, overflow, corrupt, alsoGood, "--relay-ip", "192.0.2.0/28");

        Assert.Equal(2, exit);
        Assert.StartsWith("2 report(s)", output);
        Assert.Contains("example.com  p=none sp=none pct=100  86", output); // 2 × (40 + 3)
        var lines = errors.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"error: {overflow}: <count> '9223372036854775807' is not a whole number", lines[0]);
        Assert.StartsWith($"error: {corrupt}: damaged or unsupported archive", lines[1]);
    }

    [Fact]
    public async Task Report_of_a_folder_reads_the_report_files_in_it_and_its_subfolders()
    {
        Write("in/a.xml", SampleReports.Xml(id: "a"));
        Write("in/2026/b.xml.gz", SampleReports.Gzip(SampleReports.Xml(id: "b")));
        Write("in/.c.xml.swp", "not a report"); // hidden: an editor's, not the reporter's

        var (exit, output, errors) = await RunAsync("dmarc", "report", Path.Combine(_folder.Path, "in"));

        Assert.Equal("", errors);
        Assert.Equal(0, exit);
        Assert.StartsWith("2 report(s)", output);
    }

    [Fact]
    public async Task Report_counts_mail_from_the_configured_source_addresses_as_the_relays()
    {
        var report = Write("r.xml", SampleReports.Xml());
        Environment.SetEnvironmentVariable("Relay__Delivery__SourceAddresses__0", "192.0.2.0/28");
        try
        {
            var (exit, output, _) = await RunAsync("dmarc", "report", report, "--json");

            Assert.Equal(0, exit);
            Assert.Contains("\"fromKnownSources\": 40", output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Relay__Delivery__SourceAddresses__0", null);
        }
    }

    [Fact]
    public async Task A_bad_configured_source_address_is_an_error_naming_the_key()
    {
        var report = Write("r.xml", SampleReports.Xml());
        Environment.SetEnvironmentVariable("Relay__Delivery__SourceAddresses__0", "192.0.2.300");
        try
        {
            var (exit, _, errors) = await RunAsync("dmarc", "report", report);

            Assert.Equal(2, exit);
            Assert.Equal("error: Relay:Delivery:SourceAddresses '192.0.2.300' is neither an IP address nor a CIDR network" + Environment.NewLine, errors);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Relay__Delivery__SourceAddresses__0", null);
        }
    }

    private const string Record = "v=DMARC1; p=none; rua=mailto:d@example.com";

    [Fact]
    public async Task Advise_with_a_missing_reports_folder_is_an_error()
    {
        var missing = Path.Combine(_folder.Path, "no-such-folder");

        var (exit, output, errors) = await RunAsync("dmarc", "advise", "--domain", "example.com", "--record", Record, "--reports", missing);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"error: --reports {missing}: no such folder" + Environment.NewLine, errors);
    }

    [Theory]
    [InlineData("98", 0, "99.0 % of 1400 messages over 14 days pass DKIM aligned")]
    [InlineData("99.5", 1, "99.0 % of the volume passes DKIM aligned from this relay; 99.5 % is needed")]
    public async Task Advise_reads_the_threshold_as_a_percentage(string threshold, int expectedExit, string reason)
    {
        var reports = DailyReports("reports", 14, SampleReports.Row("192.0.2.10", 99, "pass", "fail") + SampleReports.Row("192.0.2.10", 1, "fail", "fail"));

        var (exit, output, errors) = await RunAsync("dmarc", "advise", "--domain", "example.com", "--record", Record, "--reports", reports, "--relay-ip", "192.0.2.0/28", "--threshold", threshold);

        Assert.Equal("", errors);
        Assert.Equal(expectedExit, exit);
        Assert.Contains("evidence:  1400 messages over 14 of 14 days", output);
        Assert.Contains($"  - {reason}", output);
    }

    [Theory]
    [InlineData("--threshold", "101", "error: --threshold 101 is not a percentage from 0 to 100")]
    [InlineData("--threshold", "-1", "error: --threshold -1 is not a percentage from 0 to 100")]
    [InlineData("--threshold", "0.98", "error: --threshold 0.98 means 0.98 %; give a percentage, e.g. --threshold 98")]
    [InlineData("--days", "0", "error: --days 0 is not from 1 to 366")]
    [InlineData("--record", "garbage", "error: --record is not a valid DMARC record: 'garbage' is not a tag=value pair; the record must start with v=DMARC1; p= is missing")]
    [InlineData("--record", "v=DMARC1; p=block", "error: --record is not a valid DMARC record: p=block is not none, quarantine or reject")]
    public async Task Advise_refuses_input_it_cannot_judge_by(string option, string value, string error)
    {
        var reports = DailyReports("reports", 1, SampleReports.Row("192.0.2.10", 1, "pass", "pass"));
        string[] record = option == "--record" ? [] : ["--record", Record];

        var (exit, output, errors) = await RunAsync(["dmarc", "advise", "--domain", "example.com", "--reports", reports, .. record, option, value]);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal(error + Environment.NewLine, errors);
    }

    [Fact]
    public async Task Advise_is_not_ready_and_exits_2_when_a_report_file_could_not_be_read()
    {
        var reports = DailyReports("reports", 14, SampleReports.Row("192.0.2.10", 100, "pass", "fail"));
        var unreadable = Write("reports/bad.xml", "<feedback>");

        var (exit, output, errors) = await RunAsync("dmarc", "advise", "--domain", "example.com", "--record", Record, "--reports", reports, "--relay-ip", "192.0.2.0/28");

        Assert.Equal(2, exit);
        Assert.StartsWith($"error: {unreadable}: not well-formed", errors);
        Assert.Contains("ready:     no", output);
        Assert.Contains("  - 1 report file(s) could not be read (see the errors): the evidence is incomplete", output);
        Assert.DoesNotContain("publish:", output);
    }

    public void Dispose() => _folder.Dispose();
}
