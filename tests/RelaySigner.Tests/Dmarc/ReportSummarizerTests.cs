using System.Net;
using System.Text;
using RelaySigner.Dmarc.Reports;

namespace RelaySigner.Tests.Dmarc;

public sealed class ReportSummarizerTests
{
    private static AggregateReport Parse(string xml) =>
        AggregateReportParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "test.xml", ReportLimits.Default);

    private static readonly IPNetwork[] Relay = [IPNetwork.Parse("192.0.2.0/28")];

    [Fact]
    public void Sums_per_reporter_domain_and_source_and_flags_unknown_failing_sources()
    {
        var google = Parse(SampleReports.Xml(org: "google.com", id: "g1", rows:
            SampleReports.Row("192.0.2.10", 40, "pass", "fail") +
            SampleReports.Row("192.0.2.10", 10, "pass", "pass") +
            SampleReports.Row("203.0.113.66", 3, "fail", "fail", disposition: "quarantine")));
        var yahoo = Parse(SampleReports.Xml(org: "Yahoo", id: "y1", rows: SampleReports.Row("192.0.2.11", 7, "pass", "pass")));

        var summary = ReportSummarizer.Summarize([google, yahoo], Relay);

        Assert.Equal(2, summary.Reports);
        var relay = Assert.Single(summary.Sources, s => s.OrgName == "google.com" && s.SourceIp.Equals(IPAddress.Parse("192.0.2.10")));
        Assert.Equal((50L, 50L, 10L, 50L), (relay.Messages, relay.DkimAligned, relay.SpfAligned, relay.DmarcPass));
        Assert.True(relay.KnownSource);
        Assert.False(relay.Suspicious);
        var stranger = Assert.Single(summary.Sources, s => s.SourceIp.Equals(IPAddress.Parse("203.0.113.66")));
        Assert.False(stranger.KnownSource);
        Assert.True(stranger.Suspicious);
        Assert.Equal(3, stranger.Dispositions["quarantine"]);
        var domain = Assert.Single(summary.Domains);
        Assert.Equal(new DomainSummary("example.com", 60, 57, 57, 57, "p=none sp=none pct=100"), domain);
    }

    [Fact]
    public void The_same_report_read_twice_counts_once()
    {
        var report = Parse(SampleReports.Xml(id: "same"));

        var summary = ReportSummarizer.Summarize([report, Parse(SampleReports.Xml(id: "same"))], Relay);

        Assert.Equal(1, summary.Reports);
        Assert.Equal(43, summary.Domains.Single().Messages);
    }

    [Fact]
    public void No_reports_give_an_empty_summary()
    {
        var summary = ReportSummarizer.Summarize([], Relay);

        Assert.Equal(0, summary.Reports);
        Assert.Null(summary.Begin);
        Assert.Empty(summary.Sources);
    }
}
