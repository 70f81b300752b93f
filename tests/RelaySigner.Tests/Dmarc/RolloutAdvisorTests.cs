using System.Net;
using System.Text;
using RelaySigner.Dmarc.Records;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Dmarc.Rollout;

namespace RelaySigner.Tests.Dmarc;

public sealed class RolloutAdvisorTests
{
    private static readonly IPNetwork[] Relay = [IPNetwork.Parse("192.0.2.0/28")];
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1795910400);

    /// <summary>One report a day for <paramref name="days"/> days up to <see cref="Now"/>, but none for the days back in <paramref name="skipped"/>.</summary>
    private static List<AggregateReport> DailyReports(int days, string rows, params int[] skipped) =>
        [.. Enumerable.Range(0, days).Except(skipped).Select(day =>
        {
            var end = Now.AddDays(-day).ToUnixTimeSeconds();
            var xml = SampleReports.Xml(id: $"r{day}", rows: rows)
                .Replace("<begin>1795824000</begin><end>1795910399</end>", $"<begin>{end - 86400}</begin><end>{end - 1}</end>");
            return AggregateReportParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "r.xml", ReportLimits.Default);
        })];

    private static readonly string CleanDay = SampleReports.Row("192.0.2.10", 100, "pass", "fail");

    [Fact]
    public void Without_a_record_the_first_step_is_p_none_with_reports()
    {
        var advice = RolloutAdvisor.Advise("Example.com", null, [], Relay, RolloutCriteria.Default, Now);

        Assert.True(advice.Ready);
        Assert.Equal("v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com", advice.NextRecord);
    }

    [Theory]
    [InlineData("v=DMARC1; p=none; rua=mailto:d@example.com", "v=DMARC1; p=quarantine; rua=mailto:d@example.com")]
    [InlineData("v=DMARC1; p=none; sp=none; rua=mailto:d@example.com", "v=DMARC1; p=quarantine; sp=quarantine; rua=mailto:d@example.com")]
    [InlineData("v=DMARC1; p=quarantine; pct=25; rua=mailto:d@example.com", "v=DMARC1; p=quarantine; rua=mailto:d@example.com")]
    [InlineData("v=DMARC1; p=quarantine; sp=none; rua=mailto:d@example.com", "v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com")]
    public void Two_clean_weeks_from_the_relay_advance_the_policy_one_step(string published, string next)
    {
        var advice = RolloutAdvisor.Advise("example.com", DmarcRecord.Parse(published), DailyReports(14, CleanDay), Relay, RolloutCriteria.Default, Now);

        Assert.True(advice.Ready, string.Join("; ", advice.Reasons));
        Assert.Equal(next, advice.NextRecord);
        Assert.Equal(1400, advice.Messages);
        Assert.Equal(1.0, advice.AlignedShare);
    }

    [Fact]
    public void Failing_mail_from_an_unknown_source_holds_the_rollout_and_is_named()
    {
        var rows = CleanDay + SampleReports.Row("203.0.113.66", 5, "fail", "fail");

        var advice = RolloutAdvisor.Advise("example.com", DmarcRecord.Parse("v=DMARC1; p=none; rua=mailto:d@example.com"), DailyReports(14, rows), Relay, RolloutCriteria.Default, Now);

        Assert.False(advice.Ready);
        Assert.Null(advice.NextRecord);
        Assert.Contains(advice.Reasons, r => r.Contains("95.2%") || r.Contains("95.2 %"));
        Assert.Contains(advice.Reasons, r => r.Contains("unknown source 203.0.113.66"));
        Assert.Equal(IPAddress.Parse("203.0.113.66"), Assert.Single(advice.UnknownSources).SourceIp);
    }

    [Fact]
    public void Too_few_days_too_little_mail_or_no_rua_is_not_enough_evidence()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=none");

        var advice = RolloutAdvisor.Advise("example.com", record, DailyReports(3, SampleReports.Row("192.0.2.10", 10, "pass", "pass")), Relay, RolloutCriteria.Default, Now);

        Assert.False(advice.Ready);
        Assert.Contains(advice.Reasons, r => r.Contains("no rua="));
        Assert.Contains(advice.Reasons, r => r.Contains("only 30 reported messages"));
        Assert.Contains(advice.Reasons, r => r.StartsWith("reports cover 3 of the last 14 days; no report covers 2026-11-15, 2026-11-16, "));
        Assert.Contains(advice.Reasons, r => r.EndsWith("and 4 more"));
    }

    [Fact]
    public void Thirteen_of_fourteen_days_is_not_ready_and_the_missing_day_is_named()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=none; rua=mailto:d@example.com");

        var advice = RolloutAdvisor.Advise("example.com", record, DailyReports(14, CleanDay, skipped: 5), Relay, RolloutCriteria.Default, Now);

        Assert.False(advice.Ready);
        Assert.Equal(13, advice.DaysCovered);
        Assert.Equal([new DateOnly(2026, 11, 23)], advice.MissingDays); // Now is 2026-11-29 00:00 UTC; the first report covers 11-28
        Assert.Equal("reports cover 13 of the last 14 days; no report covers 2026-11-23", Assert.Single(advice.Reasons));
    }

    [Fact]
    public void The_threshold_is_named_as_the_percentage_it_is()
    {
        var rows = SampleReports.Row("192.0.2.10", 97, "pass", "fail") + SampleReports.Row("192.0.2.10", 3, "fail", "fail");

        var advice = RolloutAdvisor.Advise("example.com", DmarcRecord.Parse("v=DMARC1; p=none; rua=mailto:d@example.com"), DailyReports(14, rows), Relay, RolloutCriteria.Default, Now);

        Assert.Equal("97.0 % of the volume passes DKIM aligned from this relay; 98 % is needed", Assert.Single(advice.Reasons));
    }

    [Fact]
    public void Old_reports_and_other_domains_are_not_evidence()
    {
        var old = DailyReports(14, CleanDay).Select(r => r with { Metadata = r.Metadata with { End = Now.AddDays(-60), Begin = Now.AddDays(-61) } });
        var other = DailyReports(14, CleanDay).Select(r => r with { Policy = r.Policy with { Domain = "example.net" } });

        var advice = RolloutAdvisor.Advise("example.com", DmarcRecord.Parse("v=DMARC1; p=none; rua=mailto:d@example.com"), [.. old, .. other], Relay, RolloutCriteria.Default, Now);

        Assert.False(advice.Ready);
        Assert.Equal(0, advice.Messages);
    }

    [Fact]
    public void At_reject_there_is_no_next_step_and_an_invalid_record_is_reported()
    {
        var atEnd = RolloutAdvisor.Advise("example.com", DmarcRecord.Parse("v=DMARC1; p=reject; rua=mailto:d@example.com"), DailyReports(14, CleanDay), Relay, RolloutCriteria.Default, Now);
        var invalid = RolloutAdvisor.Advise("example.com", DmarcRecord.Parse("v=DMARC1; p=block"), [], Relay, RolloutCriteria.Default, Now);

        Assert.False(atEnd.Ready);
        Assert.Null(atEnd.NextRecord);
        Assert.False(invalid.Ready);
        Assert.Contains(invalid.Reasons, r => r.Contains("p=block"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void From_the_sums_a_store_keeps_the_advice_is_the_one_the_reports_give(int skipped)
    {
        var reports = DailyReports(14, CleanDay + SampleReports.Row("203.0.113.66", 5, "fail", "fail"), skipped);
        var record = DmarcRecord.Parse("v=DMARC1; p=none; rua=mailto:d@example.com");
        var summary = ReportSummarizer.Summarize(reports, Relay);
        var days = reports.Select(r => DateOnly.FromDateTime(r.Metadata.Begin.UtcDateTime)).ToHashSet();

        var fromReports = RolloutAdvisor.Advise("example.com", record, reports, Relay, RolloutCriteria.Default, Now);
        var fromSums = RolloutAdvisor.Advise("example.com", record, summary.Sources, days, RolloutCriteria.Default, Now);

        Assert.Equal(fromReports.Reasons, fromSums.Reasons);
        Assert.Equal((fromReports.Ready, fromReports.Messages, fromReports.AlignedShare, fromReports.DaysCovered), (fromSums.Ready, fromSums.Messages, fromSums.AlignedShare, fromSums.DaysCovered));
        Assert.Equal(fromReports.MissingDays, fromSums.MissingDays);
    }
}
