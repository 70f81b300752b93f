using System.CommandLine;
using System.Net;
using RelaySigner.Dmarc.Lookup;
using RelaySigner.Dmarc.Records;
using RelaySigner.Dmarc.Rollout;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner dmarc advise</c>: whether the reports allow the next DMARC policy step, and its record.</summary>
internal static class DmarcAdviseCommand
{
    public static Command Create()
    {
        var domain = new Option<string>("--domain") { Description = "The From domain to advise on", Required = true };
        var reportsDir = new Option<DirectoryInfo>("--reports") { Description = "Folder of aggregate reports (any mix of .xml, .gz, .zip, .eml)", Required = true };
        var days = new Option<int>("--days") { Description = "Judge the reports of the last N days", DefaultValueFactory = _ => RolloutCriteria.Default.Days };
        var threshold = new Option<double>("--threshold") { Description = "Share of volume that must pass DKIM aligned from this relay", DefaultValueFactory = _ => RolloutCriteria.Default.AlignedShare };
        var dnsServer = DnsServerOption.Create();
        var record = new Option<string?>("--record") { Description = "Judge this record text instead of looking up the published one" };
        var relayIps = RelaySources.CreateOption();
        var command = new Command("advise", "Say whether a domain can move p=none → quarantine → reject, and print the next record to publish.")
        {
            domain, reportsDir, days, threshold, dnsServer, record, relayIps,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!RelaySources.TryParse(parseResult.GetValue(relayIps), out var relaySources))
            {
                return 2;
            }

            var name = parseResult.GetValue(domain)!;
            DmarcRecord? published;
            try
            {
                published = parseResult.GetValue(record) is { } text
                    ? DmarcRecord.Parse(text)
                    : await new DmarcRecordLookup(new TxtLookup(DnsServerOption.Parse(parseResult.GetValue(dnsServer)))).FindAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or DnsClient.DnsResponseException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }

            var folder = parseResult.GetValue(reportsDir)!;
            var (reports, _) = ReportFiles.Read(folder.Exists ? folder.EnumerateFiles("*", SearchOption.AllDirectories).Select(f => f.FullName) : []);
            var criteria = RolloutCriteria.Default with { Days = parseResult.GetValue(days), AlignedShare = parseResult.GetValue(threshold) };
            var advice = RolloutAdvisor.Advise(name, published, reports, relaySources, criteria, DateTimeOffset.UtcNow);
            Console.WriteLine($"domain:    {advice.Domain}");
            Console.WriteLine($"published: {advice.CurrentRecord}");
            Console.WriteLine($"evidence:  {advice.Messages} messages over {advice.DaysCovered:0.#} days, {advice.AlignedShare:P1} DKIM-aligned from this relay");
            Console.WriteLine(advice.Ready ? "ready:     yes" : "ready:     no");
            foreach (var reason in advice.Reasons)
            {
                Console.WriteLine($"  - {reason}");
            }

            if (advice.NextRecord is not null)
            {
                Console.WriteLine($"publish:   _dmarc.{advice.Domain}. IN TXT \"{advice.NextRecord}\"");
            }

            return advice.Ready ? 0 : 1;
        });
        return command;
    }
}
