using System.Net;
using System.Text;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Dmarc;

public sealed class ReportFileReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ReportFileReader _reader = new(ReportLimits.Default);

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_folder.Path, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public void Reads_the_fields_of_a_plain_xml_report()
    {
        var report = Assert.Single(_reader.Read(Write("r.xml", Encoding.UTF8.GetBytes(SampleReports.Xml()))));

        Assert.Equal("google.com", report.Metadata.OrgName);
        Assert.Equal("17431", report.Metadata.ReportId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795824000), report.Metadata.Begin);
        Assert.Equal(new PublishedPolicy("example.com", "none", "none", 100, "r", "r"), report.Policy);
        Assert.Equal(2, report.Records.Count);
        var first = report.Records[0];
        Assert.Equal(IPAddress.Parse("192.0.2.10"), first.SourceIp);
        Assert.Equal(40, first.Count);
        Assert.True(first.DkimAligned);
        Assert.False(first.SpfAligned);
        Assert.True(first.DmarcPass);
        Assert.Equal("example.com", first.HeaderFrom);
        Assert.Equal(new AuthResult("example.com", "s2026", "pass"), Assert.Single(first.Dkim));
        Assert.False(report.Records[1].DmarcPass);
    }

    [Fact]
    public void Gzip_zip_and_mail_carried_reports_read_the_same_as_plain_xml()
    {
        var xml = SampleReports.Xml();
        var plain = Assert.Single(_reader.Read(Write("r.xml", Encoding.UTF8.GetBytes(xml))));

        var fromGzip = Assert.Single(_reader.Read(Write("r.xml.gz", SampleReports.Gzip(xml))));
        var fromZip = Assert.Single(_reader.Read(Write("r.zip", SampleReports.Zip(("google.com!example.com!1795824000!1795910399.xml", Encoding.UTF8.GetBytes(xml))))));
        var fromMail = Assert.Single(_reader.Read(Write("r.eml", SampleReports.Mail(SampleReports.Zip(("r.xml", Encoding.UTF8.GetBytes(xml))), "r.zip"))));

        foreach (var report in new[] { fromGzip, fromZip, fromMail })
        {
            Assert.Equal(plain.Metadata, report.Metadata);
            Assert.Equal(plain.Policy, report.Policy);
            Assert.Equal(plain.Records.Select(r => (r.SourceIp, r.Count, r.DmarcPass)), report.Records.Select(r => (r.SourceIp, r.Count, r.DmarcPass)));
        }
    }

    [Fact]
    public void A_report_in_the_dmarc2_namespace_reads_by_local_names()
    {
        var xml = SampleReports.Xml().Replace("<feedback>", "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">");

        var report = Assert.Single(_reader.Read(Write("r.xml", Encoding.UTF8.GetBytes(xml))));

        Assert.Equal(2, report.Records.Count);
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><feedback><report_metadata><org_name>&xxe;</org_name></report_metadata></feedback>", "not well-formed")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><feedback>&lol2;</feedback>", "not well-formed")]
    [InlineData("<feedback><report_metadata><org_name>x</org_name>", "not well-formed")]
    [InlineData("<html><body>hello</body></html>", "not a DMARC aggregate report")]
    [InlineData("<feedback><report_metadata><org_name>x</org_name><report_id>1</report_id></report_metadata></feedback>", "has no <date_range>")]
    public void Malformed_or_hostile_xml_gives_a_clear_error_naming_the_file(string xml, string reason)
    {
        var path = Write("bad.xml", Encoding.UTF8.GetBytes(xml));

        var error = Assert.Throws<InvalidReportException>(() => _reader.Read(path));

        Assert.StartsWith(path, error.Message);
        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain("root:", error.Message); // nothing of /etc/passwd
    }

    [Fact]
    public void A_row_with_a_bad_source_ip_is_an_error()
    {
        var xml = SampleReports.Xml(rows: SampleReports.Row("not-an-ip", 1, "pass", "pass"));

        var error = Assert.Throws<InvalidReportException>(() => _reader.Read(Write("r.xml", Encoding.UTF8.GetBytes(xml))));

        Assert.Contains("not-an-ip", error.Message);
    }

    [Fact]
    public void A_compression_bomb_is_stopped_by_the_bytes_it_produces()
    {
        var reader = new ReportFileReader(ReportLimits.Default with { MaxXmlBytes = 1024 * 1024 });
        var bomb = "<feedback>" + new string(' ', 8 * 1024 * 1024) + "</feedback>";

        var gz = Assert.Throws<InvalidReportException>(() => reader.Read(Write("bomb.xml.gz", SampleReports.Gzip(bomb))));
        var zip = Assert.Throws<InvalidReportException>(() => reader.Read(Write("bomb.zip", SampleReports.Zip(("b.xml", Encoding.ASCII.GetBytes(bomb))))));

        Assert.Contains("larger than 1048576 bytes when decompressed", gz.Message);
        Assert.Contains("larger than 1048576 bytes when decompressed", zip.Message);
    }

    [Fact]
    public void Too_many_archive_entries_or_too_large_a_file_is_refused()
    {
        var reader = new ReportFileReader(ReportLimits.Default with { MaxArchiveEntries = 2, MaxFileBytes = 64 * 1024 });
        var entry = Encoding.UTF8.GetBytes(SampleReports.Xml());

        var entries = Assert.Throws<InvalidReportException>(() => reader.Read(Write("many.zip", SampleReports.Zip(("a.xml", entry), ("b.xml", entry), ("c.xml", entry)))));
        var size = Assert.Throws<InvalidReportException>(() => reader.Read(Write("big.xml", new byte[65 * 1024])));

        Assert.Contains("3 entries", entries.Message);
        Assert.Contains("limit", size.Message);
    }

    [Fact]
    public void A_mail_without_a_report_or_a_random_file_is_refused()
    {
        var mail = Encoding.ASCII.GetBytes("From: a@example.com\r\nSubject: hi\r\n\r\nno attachment\r\n");

        Assert.Contains("no report attachment", Assert.Throws<InvalidReportException>(() => _reader.Read(Write("m.eml", mail))).Message);
        Assert.Contains("no such file", Assert.Throws<InvalidReportException>(() => _reader.Read(Path.Combine(_folder.Path, "missing.xml"))).Message);
    }

    public void Dispose() => _folder.Dispose();
}
