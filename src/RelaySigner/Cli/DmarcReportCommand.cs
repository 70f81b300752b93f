using System.CommandLine;
using System.Text.Json;
using RelaySigner.Dmarc.Reports;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner dmarc report FILE|FOLDER…</c>: aggregate reports summarised per reporter, domain and source.</summary>
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
            Description = "Aggregate reports (.xml, .xml.gz, .zip, or an .eml carrying one), or folders of them",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts instead of tables" };
        var relayIps = RelaySources.CreateOption();
        var command = new Command("report", "Summarise DMARC aggregate reports per reporter, domain and source IP. Exit code 2 when a file could not be read.")
        {
            paths, json, relayIps,
        };
        command.SetAction(parseResult =>
        {
            var (output, errors) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            // The relay's appsettings and environment; on the command line, --relay-ip is the override.
            if (!RelaySources.TryResolve(parseResult.GetValue(relayIps), CliConfiguration.Load(parseResult).Configuration, errors, out var relaySources))
            {
                return 2;
            }

            var (reports, failed) = ReportFiles.Read(parseResult.GetValue(paths)!, errors);
            var summary = ReportSummarizer.Summarize(reports, relaySources);
            output.WriteLine(parseResult.GetValue(json) ? JsonSerializer.Serialize(summary, Json) : DmarcReportTable.Render(summary));
            return failed == 0 ? 0 : 2;
        });
        return command;
    }
}
