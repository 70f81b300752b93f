using System.CommandLine;
using System.Text.Json;
using RelaySigner.Dmarc.Reports;

namespace RelaySigner.Cli;

/// <summary>
/// <c>relaysigner dmarc report [FILE|FOLDER…]</c>: aggregate reports summarised per reporter, domain and source; the
/// given files, or without any, the reports in the relay's store of the last <c>--days</c>.
/// </summary>
internal static class DmarcReportCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new IPAddressJsonConverter() },
    };

    public static Command Create()
    {
        var paths = new Argument<string[]>("files")
        {
            Description = "Aggregate reports (.xml, .xml.gz, .zip, or an .eml carrying one), or folders of them; none: the relay's stored reports",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var days = new Option<int>("--days")
        {
            Description = "Without files: the stored reports whose period ended in the last N days",
            DefaultValueFactory = _ => 30,
        };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts instead of tables" };
        var relayIps = RelaySources.CreateOption();
        var command = new Command("report", "Summarise DMARC aggregate reports per reporter, domain and source IP. Exit code 2 when a file could not be read.")
        {
            paths, json, relayIps, days,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (output, errors) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            // The relay's appsettings and environment; on the command line, --relay-ip is the override.
            if (!RelaySources.TryResolve(parseResult.GetValue(relayIps), CliConfiguration.Load(parseResult).Configuration, errors, out var relaySources))
            {
                return 2;
            }

            void Write(List<AggregateReport> reports)
            {
                var summary = ReportSummarizer.Summarize(reports, relaySources);
                output.WriteLine(parseResult.GetValue(json) ? JsonSerializer.Serialize(summary, Json) : DmarcReportTable.Render(summary));
            }

            if (parseResult.GetValue(paths) is { Length: > 0 } files)
            {
                var (reports, failed) = ReportFiles.Read(files, errors);
                Write(reports);
                return failed == 0 ? 0 : 2;
            }

            if (parseResult.GetValue(days) is < 1 or > 3660)
            {
                errors.WriteLine($"error: --days {parseResult.GetValue(days)} is not from 1 to 3660");
                return 2;
            }

            var since = DateTimeOffset.UtcNow.AddDays(-parseResult.GetValue(days));
            return await ReportStoreCli.RunAsync(parseResult, async store =>
            {
                Write(await ReportStoreCli.ReadAsync(store, null, since, cancellationToken).ConfigureAwait(false));
                return 0;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
