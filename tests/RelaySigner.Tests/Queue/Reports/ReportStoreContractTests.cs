using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Queue;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Dmarc.Reports.Store;

namespace RelaySigner.Tests.Queue.Reports;

/// <summary>
/// What every report store promises, run against each of them (<see cref="SqliteReportStoreContractTests"/>,
/// <see cref="PostgreSqlReportStoreContractTests"/>): a derived class opens a store on a fresh database of its kind.
/// </summary>
public abstract class ReportStoreContractTests : IAsyncLifetime
{
    protected static readonly DateOnly Day1 = new(2025, 3, 1);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 10, 12, 0, 0, TimeSpan.Zero));

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    /// <summary>The store of this test's fresh database, on <see cref="Time"/>.</summary>
    protected abstract IReportStore Store { get; }

    /// <summary>The store the relay's composition registers for <paramref name="queueSettings"/> (Relay:Queue:…), used once.</summary>
    protected static async Task AssertTheRelayRegistersAsync<TStore>(IEnumerable<KeyValuePair<string, string?>> queueSettings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(queueSettings).Build();
        await using var services = new ServiceCollection().AddLogging().AddRelayQueue(configuration).BuildServiceProvider();

        var store = services.GetRequiredService<IReportStore>();

        Assert.IsType<TStore>(store);
        Assert.True(await store.ImportAsync(Report("a.example", "di", Day1, "example.com", Row("192.0.2.1", 1)), CancellationToken.None));
    }

    internal static AggregateReport Report(string org, string id, DateOnly day, string domain = "example.com", params ReportRecord[] records)
    {
        var begin = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return new AggregateReport(
            new ReportMetadata(org, id, begin, begin.AddDays(1).AddSeconds(-1)),
            new PublishedPolicy(domain, "none", "quarantine", 50, "r", "s"),
            records);
    }

    internal static ReportRecord Row(string ip, long count, bool dkim = true, bool spf = false, string disposition = "none") =>
        new(IPAddress.Parse(ip), count, disposition, dkim, spf, "example.com", "bounce.example.com",
            [new AuthResult("example.com", "s2026", dkim ? "pass" : "fail")], [new AuthResult("bounce.example.com", null, spf ? "pass" : "softfail")]);

    /// <summary>Every field of a report as text: records hold lists and addresses, which compare by reference.</summary>
    private static string Describe(AggregateReport report) =>
        string.Join("\n", [
            $"{report.Metadata} {report.Policy}",
            .. report.Records.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{r.SourceIp} {r.Count} {r.Disposition} {r.DkimAligned} {r.SpfAligned} {r.HeaderFrom} {r.EnvelopeFrom ?? "-"} " +
                $"[{string.Join("; ", r.Dkim)}] [{string.Join("; ", r.Spf)}]"))]);

    private async Task<List<AggregateReport>> ReadAllAsync(string? domain = null, DateTimeOffset? since = null)
    {
        var reports = new List<AggregateReport>();
        await foreach (var report in Store.ReadAsync(domain, since ?? DateTimeOffset.UnixEpoch, CancellationToken.None))
        {
            reports.Add(report);
        }

        return reports;
    }

    [Fact]
    public async Task An_imported_report_reads_back_equal_field_by_field()
    {
        var odd = new ReportRecord(IPAddress.Parse("2001:db8::7"), 5, "reject", false, false, "example.com", null,
            [new AuthResult("other.example", "sel\"ector\\", "fail"), new AuthResult("example.com", "s1", "pass")], []);
        var report = Report("Mail.Example", "id-1", Day1, "example.com", Row("192.0.2.10", 40), odd, Row("198.51.100.1", 1, false, true, "quarantine"));
        var empty = Report("Other Reporter", "id-2", Day1.AddDays(1), "example.org");

        Assert.True(await Store.ImportAsync(report, CancellationToken.None));
        Assert.True(await Store.ImportAsync(empty, CancellationToken.None));

        var read = await ReadAllAsync();
        Assert.Equal([Describe(report), Describe(empty)], read.Select(Describe));
    }

    [Fact]
    public async Task The_same_report_again_is_ignored_whatever_the_reporters_case_and_changes_no_sum()
    {
        var report = Report("google.com", "42", Day1, "example.com", Row("192.0.2.10", 40));
        Assert.True(await Store.ImportAsync(report, CancellationToken.None));

        Assert.False(await Store.ImportAsync(report, CancellationToken.None));
        Assert.False(await Store.ImportAsync(Report("Google.COM", "42", Day1, "example.com", Row("192.0.2.10", 999)), CancellationToken.None));
        // Another reporter may use the same id.
        Assert.True(await Store.ImportAsync(Report("yahoo.com", "42", Day1, "example.com", Row("192.0.2.10", 2)), CancellationToken.None));

        Assert.Equal(2, (await ReadAllAsync()).Count);
        var daily = Assert.Single(await Store.DailyBySourceAsync("example.com", Day1, Day1, CancellationToken.None));
        Assert.Equal(42, daily.Totals.Messages);
    }

    [Fact]
    public async Task Imports_in_flight_together_store_each_report_once_and_sum_every_one()
    {
        // The same report three times among twenty others, all handed over at once (as dmarc import does).
        var reports = Enumerable.Range(0, 20).Select(i => Report("a.example", $"r{i}", Day1, "example.com", Row("192.0.2.10", 1)))
            .Concat(Enumerable.Repeat(Report("b.example", "same", Day1, "example.com", Row("192.0.2.10", 100)), 3))
            .ToList();

        var imported = await Task.WhenAll(reports.Select(r => Store.ImportAsync(r, CancellationToken.None)));

        Assert.Equal(21, imported.Count(stored => stored));
        var daily = Assert.Single(await Store.DailyBySourceAsync("example.com", Day1, Day1, CancellationToken.None));
        Assert.Equal(120, daily.Totals.Messages);
    }

    [Fact]
    public async Task Daily_sums_per_source_cover_exactly_the_window_and_every_count()
    {
        await Store.ImportAsync(Report("a.example", "1", Day1, "example.com",
            Row("192.0.2.10", 10, dkim: true, spf: true), Row("192.0.2.10", 5, dkim: false, spf: false, "quarantine"),
            Row("203.0.113.5", 3, dkim: false, spf: true, "reject")), CancellationToken.None);
        await Store.ImportAsync(Report("b.example", "1", Day1, "example.com", Row("192.0.2.10", 7)), CancellationToken.None);
        await Store.ImportAsync(Report("a.example", "2", Day1.AddDays(1), "example.com", Row("192.0.2.10", 100)), CancellationToken.None);
        await Store.ImportAsync(Report("a.example", "3", Day1.AddDays(2), "example.com", Row("192.0.2.10", 1000)), CancellationToken.None);
        await Store.ImportAsync(Report("a.example", "4", Day1, "example.org", Row("192.0.2.10", 5000)), CancellationToken.None);

        var daily = await Store.DailyBySourceAsync("example.com", Day1, Day1.AddDays(1), CancellationToken.None);

        Assert.Equal(
            [
                new DailySourceTotals(Day1, IPAddress.Parse("192.0.2.10"), new ReportTotals(22, 17, 10, 17, 5, 0)),
                new DailySourceTotals(Day1, IPAddress.Parse("203.0.113.5"), new ReportTotals(3, 0, 3, 3, 0, 3)),
                new DailySourceTotals(Day1.AddDays(1), IPAddress.Parse("192.0.2.10"), new ReportTotals(100, 100, 0, 100, 0, 0)),
            ],
            daily);
        Assert.Empty(await Store.DailyBySourceAsync("example.com", Day1.AddDays(3), Day1.AddDays(9), CancellationToken.None));
    }

    [Fact]
    public async Task Sources_sum_each_reporter_and_address_over_the_window_busiest_first()
    {
        await Store.ImportAsync(Report("a.example", "1", Day1, "example.com", Row("192.0.2.10", 10), Row("203.0.113.5", 3, false, false, "reject")), CancellationToken.None);
        await Store.ImportAsync(Report("a.example", "2", Day1.AddDays(1), "example.com", Row("192.0.2.10", 20, false, true)), CancellationToken.None);
        await Store.ImportAsync(Report("b.example", "1", Day1.AddDays(1), "example.com", Row("192.0.2.10", 4)), CancellationToken.None);
        await Store.ImportAsync(Report("a.example", "3", Day1.AddDays(5), "example.com", Row("192.0.2.10", 1000)), CancellationToken.None);

        var sources = await Store.SourcesAsync("EXAMPLE.com", Day1, Day1.AddDays(4), CancellationToken.None);

        Assert.Equal(
            [
                new ReporterSourceTotals("a.example", IPAddress.Parse("192.0.2.10"), new ReportTotals(30, 10, 20, 30, 0, 0)),
                new ReporterSourceTotals("b.example", IPAddress.Parse("192.0.2.10"), new ReportTotals(4, 4, 0, 4, 0, 0)),
                new ReporterSourceTotals("a.example", IPAddress.Parse("203.0.113.5"), new ReportTotals(3, 0, 0, 0, 0, 3)),
            ],
            sources);
    }

    [Fact]
    public async Task Domains_are_listed_once_each_in_order_and_reads_filter_by_domain_and_period_end()
    {
        Assert.Empty(await Store.DomainsAsync(CancellationToken.None));
        await Store.ImportAsync(Report("a.example", "1", Day1, "example.org", Row("192.0.2.10", 1)), CancellationToken.None);
        await Store.ImportAsync(Report("a.example", "2", Day1, "example.com", Row("192.0.2.10", 1)), CancellationToken.None);
        await Store.ImportAsync(Report("a.example", "3", Day1.AddDays(3), "example.com", Row("192.0.2.10", 1)), CancellationToken.None);

        Assert.Equal(["example.com", "example.org"], await Store.DomainsAsync(CancellationToken.None));
        Assert.Equal(["2", "3"], (await ReadAllAsync("example.com")).Select(r => r.Metadata.ReportId));
        var sinceDay2 = new DateTimeOffset(Day1.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.Equal(["3"], (await ReadAllAsync(null, sinceDay2)).Select(r => r.Metadata.ReportId));
    }
}
