using System.Text;
using Mono.Unix.Native;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Dmarc;

/// <summary>Report files come from anyone who can mail a rua address: each hostile one fails on its own, quickly.</summary>
public sealed class HostileReportFileTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ReportFileReader _reader = new(ReportLimits.Default);

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_folder.Path, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string Write(string name, string xml) => Write(name, Encoding.UTF8.GetBytes(xml));

    [Fact]
    public void Xml_nested_100000_elements_deep_is_refused_by_its_depth()
    {
        var xml = new StringBuilder("<feedback>");
        xml.Insert(xml.Length, "<a>", 100_000).Insert(xml.Length, "</a>", 100_000).Append("</feedback>");
        var path = Write("deep.xml", xml.ToString());

        var error = Assert.Throws<InvalidReportException>(() => _reader.Read(path));

        Assert.Equal($"{path}: elements nested more than 16 levels deep (a DMARC aggregate report needs 5); refusing it", error.Message);
    }

    [Fact]
    public void A_report_as_deep_as_the_limit_reads_and_one_level_more_is_refused()
    {
        var path = Write("r.xml", SampleReports.Xml()); // feedback › record › auth_results › dkim › domain

        Assert.Single(new ReportFileReader(ReportLimits.Default with { MaxXmlDepth = 5 }).Read(path));
        Assert.Throws<InvalidReportException>(() => new ReportFileReader(ReportLimits.Default with { MaxXmlDepth = 4 }).Read(path));
    }

    [Theory]
    [InlineData("<count>40</count>", "<count>9223372036854775807</count>", "<count> '9223372036854775807' is not a whole number from 0 to 1000000000000")]
    [InlineData("<count>40</count>", "<count>99999999999999999999999</count>", "<count> '99999999999999999999999' is not a whole number")]
    [InlineData("<count>40</count>", "<count>-1</count>", "<count> '-1' is not a whole number")]
    [InlineData("<begin>1795824000</begin>", "<begin>9223372036854775807</begin>", "<begin> '9223372036854775807' is not a whole number from 0 to 253402300799")]
    [InlineData("<pct>100</pct>", "<pct>4294967396</pct>", "<pct> '4294967396' is not a whole number from 0 to 100")]
    public void An_out_of_range_number_fails_the_file_with_its_own_error(string field, string hostile, string reason)
    {
        var path = Write("r.xml", SampleReports.Xml().Replace(field, hostile));

        var error = Assert.Throws<InvalidReportException>(() => _reader.Read(path));

        Assert.Equal($"{path}: {reason}", error.Message[..(path.Length + 2 + reason.Length)]);
    }

    [Fact]
    public void Counts_that_together_exceed_what_any_reporter_sees_are_refused_before_they_can_overflow_a_sum()
    {
        var rows = string.Concat(Enumerable.Repeat(SampleReports.Row("192.0.2.10", 1_000_000_000_000, "pass", "pass"), 10));
        var path = Write("r.xml", SampleReports.Xml(rows: rows));

        var error = Assert.Throws<InvalidReportException>(() => _reader.Read(path));

        Assert.Equal($"{path}: counts more than 1000000000000 messages in all; refusing it", error.Message);
    }

    [Fact]
    public void A_gzip_with_a_corrupt_length_trailer_fails_as_a_damaged_archive()
    {
        var gzip = SampleReports.Gzip(SampleReports.Xml());
        gzip[^1] ^= 0xFF; // ISIZE, the uncompressed length modulo 2^32 (RFC 1952 §2.3.1)

        var path = Write("r.xml.gz", gzip);
        var error = Assert.Throws<InvalidReportException>(() => _reader.Read(path));

        Assert.StartsWith($"{path}: damaged or unsupported archive", error.Message);
    }

    [Fact]
    public void A_truncated_or_scrambled_zip_fails_as_a_damaged_archive()
    {
        var zip = SampleReports.Zip(("r.xml", Encoding.UTF8.GetBytes(SampleReports.Xml())));
        var scrambled = (byte[])zip.Clone();
        scrambled.AsSpan(30, 40).Fill(0x5A); // inside the first entry's compressed data

        var truncated = Write("truncated.zip", zip[..(zip.Length / 2)]);
        var damaged = Write("scrambled.zip", scrambled);

        Assert.StartsWith($"{truncated}: damaged or unsupported archive", Assert.Throws<InvalidReportException>(() => _reader.Read(truncated)).Message);
        Assert.StartsWith(damaged, Assert.Throws<InvalidReportException>(() => _reader.Read(damaged)).Message);
    }

    [Theory]
    [InlineData("/dev/zero", "a device")]
    [InlineData("/dev/null", "a device")]
    public void A_device_is_refused_without_reading_it(string path, string kind)
    {
        var error = Assert.Throws<InvalidReportException>(() => _reader.Read(path));

        Assert.Equal($"{path}: {kind}, not a regular file; refusing it", error.Message);
    }

    [Fact]
    public void A_folder_given_as_a_report_file_is_refused()
    {
        var error = Assert.Throws<InvalidReportException>(() => _reader.Read(_folder.Path));

        Assert.Equal($"{_folder.Path}: a folder, not a regular file; refusing it", error.Message);
    }

    [Fact(Timeout = 10_000)] // before the fix, opening the FIFO waited for a writer forever
    public async Task A_fifo_is_refused_without_waiting_for_a_writer()
    {
        var fifo = Path.Combine(_folder.Path, "report.xml");
        Assert.Equal(0, Syscall.mkfifo(fifo, FilePermissions.S_IRUSR | FilePermissions.S_IWUSR));

        var error = await Assert.ThrowsAsync<InvalidReportException>(() => Task.Run(() => _reader.Read(fifo)));

        Assert.Equal($"{fifo}: a FIFO, not a regular file; refusing it", error.Message);
    }

    [Fact]
    public void A_link_to_a_report_reads_it_and_a_link_to_a_device_is_refused()
    {
        var report = Write("r.xml", SampleReports.Xml());
        var toReport = Path.Combine(_folder.Path, "link.xml");
        var toDevice = Path.Combine(_folder.Path, "zero.xml");
        File.CreateSymbolicLink(toReport, report);
        File.CreateSymbolicLink(toDevice, "/dev/zero");

        Assert.Single(_reader.Read(toReport));
        Assert.Contains("a device, not a regular file", Assert.Throws<InvalidReportException>(() => _reader.Read(toDevice)).Message);
    }

    public void Dispose() => _folder.Dispose();
}
