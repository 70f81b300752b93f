using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RelaySigner.Admin;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Dmarc.Reports.Store;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;

namespace RelaySigner.Benchmarks.Dashboard;

/// <summary>
/// How long each dashboard page takes with a store of about a million report records: the relay in-process with its
/// admin listener on loopback and its own report store (SQLite, in the queue's file) loaded with synthetic reports (30 days, a few reporters, the relay's
/// addresses, a known sender and a pool of unknown ones), then each page requested over HTTP with the bearer token.
/// DNS is a real resolver on loopback (unbound) that knows none of the names: every PTR and DMARC lookup gets its
/// answer (NXDOMAIN) at once and is cached, so the figures are the pages' own work, not their DNS budget.
/// </summary>
internal static class DashboardDriver
{
    public static async Task<int> RunAsync(DashboardOptions options)
    {
        using var folder = new TempFolder();
        var domains = Enumerable.Range(0, options.Domains).Select(i => $"d{i}.example").ToList();
        await using var dns = await UnboundServer.StartAsync([]);
        var tokenPath = Path.Combine(folder.Path, "token");
        var builder = RelayHost.CreateBuilder(
        [
            "--Relay:Smtp:Address=127.0.0.1", "--Relay:Smtp:Port=0", "--Relay:Admin:Urls=http://127.0.0.1:0",
            $"--Relay:Admin:TokenPath={tokenPath}", $"--Relay:Queue:Path={Path.Combine(folder.Path, "queue")}",
            $"--Relay:Dkim:KeysPath={RepositoryRoot.KeysExample}", "--Relay:Delivery:Smarthost=127.0.0.1:9",
            $"--Relay:Delivery:DnsServer={dns.Endpoint}", "--Relay:Delivery:SourceAddresses:0=192.0.2.0/28",
            "--Relay:Dmarc:KnownSources:0:Name=Newsletter service", "--Relay:Dmarc:KnownSources:0:Networks:0=198.51.100.0/24",
            "--Logging:LogLevel:Default=Warning",
        ]);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            // Into the relay's own store (the embedded queue's file), as `dmarc import` would: 32 reports in flight.
            var store = host.Services.GetRequiredService<IReportStore>();
            var loading = Stopwatch.StartNew();
            await foreach (var _ in store.ImportAllAsync(Reports(options, domains), report => report))
            {
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store: {options.Reports:N0} reports x {options.Records} records = {(long)options.Reports * options.Records:N0} records over {options.Domains} domains, imported into the relay's SQLite store in {loading.Elapsed.TotalSeconds:0.0} s"));

            using var http = new HttpClient { BaseAddress = host.Services.GetRequiredService<AdminAddresses>().Urls.Single(), Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllLines(tokenPath)[0]);
            Console.WriteLine($"{"page",-32} {"p50 ms",8} {"p95 ms",8} {"max ms",8} {"KiB",6}");
            foreach (var page in new[] { "/", $"/domains/{domains[0]}?days=30", $"/domains/{domains[0]}?days=7", "/delivery?days=7" })
            {
                await MeasureAsync(http, page, options.Requests);
            }
        }
        finally
        {
            await host.StopAsync();
        }

        return 0;
    }

    private static async Task MeasureAsync(HttpClient http, string page, int requests)
    {
        var times = new List<double>();
        long size = 0;
        for (var i = -2; i < requests; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(page);
            var body = await response.Content.ReadAsByteArrayAsync();
            clock.Stop();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{page} answered {(int)response.StatusCode}");
            }

            if (i >= 0)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
                size = body.Length;
            }
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{page,-32} {Percentile(times, 0.50),8:0.0} {Percentile(times, 0.95),8:0.0} {times[^1],8:0.0} {size / 1024,6}"));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>Reports spread evenly over the domains and the last 30 days; sources: 4 relay addresses, 3 known, 2,000 unknown.</summary>
    private static IEnumerable<AggregateReport> Reports(DashboardOptions options, IReadOnlyList<string> domains)
    {
        var random = new Random(42);
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        string[] reporters = ["google.com", "Yahoo", "Mail.Ru", "Outlook.com", "web.de"];
        for (var n = 0; n < options.Reports; n++)
        {
            var begin = today.AddDays(-1 - (n % 30));
            var domain = domains[n % domains.Count];
            var records = new List<ReportRecord>(options.Records);
            for (var r = 0; r < options.Records; r++)
            {
                var (ip, pass) = (r % 10) switch
                {
                    < 6 => (IPAddress.Parse($"192.0.2.{1 + (r % 4)}"), true),
                    < 8 => (IPAddress.Parse($"198.51.100.{1 + (r % 3)}"), true),
                    _ => (new IPAddress([203, 0, (byte)(random.Next(8) + 113), (byte)random.Next(250)]), random.Next(4) == 0),
                };
                records.Add(new ReportRecord(ip, random.Next(1, 200), pass ? "none" : "quarantine", pass, pass && r % 2 == 0, domain, domain, [], []));
            }

            yield return new AggregateReport(new ReportMetadata(reporters[n % reporters.Length], $"bench-{n}", begin, begin.AddDays(1)),
                new PublishedPolicy(domain, "none", null, 100, "r", "r"), records);
        }
    }
}
