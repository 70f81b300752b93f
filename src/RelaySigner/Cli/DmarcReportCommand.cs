using System.CommandLine;
using System.Text.Json;
using RelaySigner.Dmarc.Reports;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner dmarc report FILE…</c>: aggregate reports summarised per reporter, domain and source.</summary>
internal static class DmarcReportCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new IPAddressJsonConverter() },
    };

    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Aggregate reports: .xml, .xml.gz, .zip, or an .eml carrying one", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts instead of tables" };
        var relayIps = RelaySources.CreateOption();
        var command = new Command("report", "Summarise DMARC aggregate reports per reporter, domain and source IP.") { files, json, relayIps };
        command.SetAction(parseResult =>
        {
            if (!RelaySources.TryParse(parseResult.GetValue(relayIps), out var relaySources))
            {
                return 2;
            }

            var (reports, failed) = ReportFiles.Read(parseResult.GetValue(files)!.Select(f => f.FullName));
            var summary = ReportSummarizer.Summarize(reports, relaySources);
            Console.WriteLine(parseResult.GetValue(json) ? JsonSerializer.Serialize(summary, Json) : DmarcReportTable.Render(summary));
            return failed == 0 ? 0 : 2;
        });
        return command;
    }
}
