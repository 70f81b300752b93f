using System.CommandLine;
using System.Net;
using System.Text.Json;
using RelaySigner.Dmarc.Reports;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner dmarc …</c>: reading what receivers report about a domain's mail.</summary>
internal static class DmarcCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new IPAddressJsonConverter() },
    };

    public static Command Create()
    {
        var command = new Command("dmarc", "DMARC aggregate reports.");
        command.Subcommands.Add(CreateReport());
        return command;
    }

    private static Command CreateReport()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Aggregate reports: .xml, .xml.gz, .zip, or an .eml carrying one", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts instead of tables" };
        var relayIps = new Option<string[]>("--relay-ip")
        {
            Description = "This relay's outbound address or network (CIDR); repeatable. Other sources are flagged as unknown.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("report", "Summarise DMARC aggregate reports per reporter, domain and source IP.") { files, json, relayIps };
        command.SetAction(parseResult =>
        {
            var relaySources = new List<IPNetwork>();
            foreach (var value in parseResult.GetValue(relayIps) ?? [])
            {
                if (!TryParseNetwork(value, out var network))
                {
                    Console.Error.WriteLine($"error: --relay-ip '{value}' is neither an IP address nor a CIDR network");
                    return 2;
                }

                relaySources.Add(network);
            }

            var reader = new ReportFileReader(ReportLimits.Default);
            var reports = new List<AggregateReport>();
            var failed = 0;
            foreach (var file in parseResult.GetValue(files)!)
            {
                try
                {
                    reports.AddRange(reader.Read(file.FullName));
                }
                catch (InvalidReportException ex)
                {
                    Console.Error.WriteLine($"error: {ex.Message}");
                    failed++;
                }
            }

            var summary = ReportSummarizer.Summarize(reports, relaySources);
            Console.WriteLine(parseResult.GetValue(json) ? JsonSerializer.Serialize(summary, Json) : DmarcReportTable.Render(summary));
            return failed == 0 ? 0 : 2;
        });
        return command;
    }

    /// <summary>A CIDR network, or a single address as its own /32 or /128.</summary>
    private static bool TryParseNetwork(string value, out IPNetwork network)
    {
        if (IPAddress.TryParse(value, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(value, out network);
    }
}
