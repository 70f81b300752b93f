using System.Net;
using RelaySigner.Dmarc.Reports;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// A known set of aggregate reports for the dashboard's tests: for <see cref="Domain"/>, one report a day over the
/// last 14 whole UTC days with 100 messages from the relay (aligned both ways), 20 from a configured newsletter
/// service (DKIM only) and 5 from an unknown source failing both; plus one report whose reporter name is markup.
/// <see cref="ReadyDomain"/> has only the relay's aligned mail, 14 days of it: ready for the next step.
/// </summary>
internal static class KnownReports
{
    public const string Domain = "example.com";
    public const string ReadyDomain = "ready.example";
    public const string HostileReporter = "<script>alert(1)</script> Mail";
    public static readonly IPAddress Relay = IPAddress.Parse("192.0.2.10");
    public static readonly IPAddress Newsletter = IPAddress.Parse("198.51.100.7");
    public static readonly IPAddress Unknown = IPAddress.Parse("203.0.113.66");
    public static readonly IPAddress HostileSource = IPAddress.Parse("203.0.113.99");

    /// <summary>Totals over the 14 days: relay 1,400, newsletter 280, unknown 70 + 1 (the hostile report).</summary>
    public const long Messages = 1751;
    public const long DmarcPass = 1680;
    public const long SpfAligned = 1400;

    /// <summary>The settings that make the relay know these sources.</summary>
    public static IEnumerable<(string Key, string Value)> Settings =>
    [
        ("Relay:Delivery:SourceAddresses:0", "192.0.2.10"),
        ("Relay:Dmarc:KnownSources:0:Name", "Newsletter service"),
        ("Relay:Dmarc:KnownSources:0:Networks:0", "198.51.100.0/24"),
    ];

    /// <summary>What the test's DNS publishes: both domains' DMARC records and the relay's PTR name.</summary>
    public static IEnumerable<string> Zone =>
    [
        $"_dmarc.{Domain}. 300 IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc@{Domain}\"",
        $"_dmarc.{ReadyDomain}. 300 IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc@{ReadyDomain}\"",
        "10.2.0.192.in-addr.arpa. 300 IN PTR relay.example.com.",
    ];

    public static IEnumerable<AggregateReport> All(DateTimeOffset now)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        for (var back = 1; back <= 14; back++)
        {
            var begin = today.AddDays(-back);
            yield return Report("google.com", $"g-{back}", Domain, begin,
            [
                Record(Relay, 100, dkim: true, spf: true),
                Record(Newsletter, 20, dkim: true, spf: false),
                Record(Unknown, 5, dkim: false, spf: false),
            ]);
            yield return Report("google.com", $"r-{back}", ReadyDomain, begin, [Record(Relay, 50, dkim: true, spf: true)]);
        }

        yield return Report(HostileReporter, "x-1", Domain, today.AddDays(-3), [Record(HostileSource, 1, dkim: false, spf: false)]);
    }

    private static AggregateReport Report(string org, string id, string domain, DateTimeOffset begin, IReadOnlyList<ReportRecord> records) =>
        new(new ReportMetadata(org, id, begin, begin.AddDays(1)), new PublishedPolicy(domain, "none", null, 100, "r", "r"), records);

    private static ReportRecord Record(IPAddress source, long count, bool dkim, bool spf) =>
        new(source, count, "none", dkim, spf, Domain, Domain, [], []);
}
