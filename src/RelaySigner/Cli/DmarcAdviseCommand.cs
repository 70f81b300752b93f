using System.CommandLine;
using System.Globalization;
using RelaySigner.Dmarc.Lookup;
using RelaySigner.Dmarc.Records;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Dmarc.Rollout;

namespace RelaySigner.Cli;

/// <summary>
/// <c>relaysigner dmarc advise</c>: whether the reports (a folder of them, or the relay's stored ones) allow the next
/// DMARC policy step, and its record.
/// </summary>
internal static class DmarcAdviseCommand
{
    public static Command Create()
    {
        var domain = new Option<string>("--domain") { Description = "The From domain to advise on", Required = true };
        var reportsDir = new Option<string?>("--reports") { Description = "Folder of aggregate reports (any mix of .xml, .gz, .zip, .eml); default: the relay's stored reports" };
        var days = new Option<int>("--days") { Description = "Judge the reports of the last N whole days (UTC); each must be covered", DefaultValueFactory = _ => RolloutCriteria.Default.Days };
        var threshold = new Option<double>("--threshold") { Description = "Percentage (0-100) of volume that must pass DKIM aligned from this relay", DefaultValueFactory = _ => RolloutCriteria.Default.AlignedShare * 100 };
        var dnsServer = DnsServerOption.Create();
        var record = new Option<string?>("--record") { Description = "Judge this record text instead of looking up the published one" };
        var relayIps = RelaySources.CreateOption();
        var command = new Command("advise", "Say whether a domain can move p=none → quarantine → reject, and print the next record to publish. Exit code 0 ready, 1 not ready, 2 error.")
        {
            domain, reportsDir, days, threshold, dnsServer, record, relayIps,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var errors = parseResult.InvocationConfiguration.Error;
            var folder = parseResult.GetValue(reportsDir);
            var criteria = RolloutCriteria.Default with { Days = parseResult.GetValue(days), AlignedShare = parseResult.GetValue(threshold) / 100 };
            var recordText = parseResult.GetValue(record);
            var given = recordText is null ? null : DmarcRecord.Parse(recordText);
            if (InputError(criteria, given, folder) is { } inputError)
            {
                errors.WriteLine($"error: {inputError}");
                return 2;
            }

            // The relay's appsettings and environment; on the command line, --relay-ip is the override.
            if (!RelaySources.TryResolve(parseResult.GetValue(relayIps), CliConfiguration.Load(parseResult).Configuration, errors, out var relaySources))
            {
                return 2;
            }

            var name = parseResult.GetValue(domain)!;
            DmarcRecord? published;
            try
            {
                published = given ?? await new DmarcRecordLookup(new TxtLookup(DnsServerOption.Parse(parseResult.GetValue(dnsServer)))).FindAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or DnsClient.DnsResponseException)
            {
                errors.WriteLine($"error: {ex.Message}");
                return 2;
            }

            var (reports, failed) = folder is not null
                ? ReportFiles.Read([folder], errors)
                : (await StoredReportsAsync(parseResult, name, criteria, cancellationToken).ConfigureAwait(false), 0);
            if (reports is null)
            {
                return 3; // the store's error line is written
            }

            var advice = RolloutAdvisor.Advise(name, published, reports, relaySources, criteria, DateTimeOffset.UtcNow);
            Write(parseResult.InvocationConfiguration.Output, advice, criteria, failed);
            return failed > 0 ? 2 : advice.Ready ? 0 : 1;
        });
        return command;
    }

    /// <summary>The domain's stored reports that can fall in the judged days; null when the store cannot be used.</summary>
    private static async Task<List<AggregateReport>?> StoredReportsAsync(ParseResult parseResult, string domain, RolloutCriteria criteria, CancellationToken cancellationToken)
    {
        List<AggregateReport>? reports = null;
        var since = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-criteria.Days - 1);
        var exit = await ReportStoreCli.RunAsync(parseResult, async store =>
        {
            reports = await ReportStoreCli.ReadAsync(store, domain, since, cancellationToken).ConfigureAwait(false);
            return 0;
        }).ConfigureAwait(false);
        return exit == 0 ? reports : null;
    }

    private static string? InputError(RolloutCriteria criteria, DmarcRecord? given, string? folder)
    {
        var percent = criteria.AlignedShare * 100;
        return (criteria, percent) switch
        {
            ({ Days: < 1 or > 366 }, _) => $"--days {criteria.Days} is not from 1 to 366",
            // 0.98 would silently ask for 0.98 %: a fraction given for a percentage.
            (_, > 0 and < 1) => string.Create(CultureInfo.InvariantCulture, $"--threshold {percent} means {percent} %; give a percentage, e.g. --threshold {percent * 100}"),
            (_, < 0 or > 100 or double.NaN) => string.Create(CultureInfo.InvariantCulture, $"--threshold {percent} is not a percentage from 0 to 100"),
            _ when given is { IsValid: false } => $"--record is not a valid DMARC record: {string.Join("; ", given.Errors)}",
            _ when folder is not null && !Directory.Exists(folder) => $"--reports {folder}: no such folder",
            _ => null,
        };
    }

    private static void Write(TextWriter output, RolloutAdvice advice, RolloutCriteria criteria, int failedFiles)
    {
        var ready = advice.Ready && failedFiles == 0;
        output.WriteLine($"domain:    {advice.Domain}");
        output.WriteLine($"published: {advice.CurrentRecord}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evidence:  {advice.Messages} messages over {advice.DaysCovered} of {criteria.Days} days, {advice.AlignedShare:P1} DKIM-aligned from this relay"));
        output.WriteLine(ready ? "ready:     yes" : "ready:     no");
        if (failedFiles > 0)
        {
            output.WriteLine($"  - {failedFiles} report file(s) could not be read (see the errors): the evidence is incomplete");
        }

        foreach (var reason in advice.Reasons)
        {
            output.WriteLine($"  - {reason}");
        }

        if (ready && advice.NextRecord is not null)
        {
            output.WriteLine($"publish:   _dmarc.{advice.Domain}. IN TXT \"{advice.NextRecord}\"");
        }
    }
}
