using System.CommandLine;
using System.Globalization;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Dmarc.Reports.Store;

namespace RelaySigner.Cli;

/// <summary>
/// <c>relaysigner dmarc import FILE|FOLDER…</c>: aggregate reports into the relay's report store, where the dashboard
/// and <c>dmarc report|advise</c> without files find them. Read with the same limits as <c>dmarc report</c>; a report
/// stored before (same reporter and report id) changes nothing. Files are read one after the other while the
/// imports of those read before are still being committed (<see cref="PipelinedImport"/>).
/// </summary>
internal static class DmarcImportCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("files")
        {
            Description = "Aggregate reports (.xml, .xml.gz, .zip, or an .eml carrying one), or folders of them",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = QueueCli.Verb("import",
            "Store DMARC aggregate reports in the relay's report store; one line per report: imported or duplicate. Exit code 2 when a file could not be read.");
        command.Arguments.Add(paths);
        command.SetAction((parseResult, cancellationToken) => ReportStoreCli.RunAsync(parseResult, async store =>
        {
            var (output, errors) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            var failed = 0;
            IEnumerable<(string Path, AggregateReport Report)> Readable()
            {
                foreach (var (path, reports) in ReportFiles.ReadEach(parseResult.GetValue(paths)!, errors))
                {
                    failed += reports is null ? 1 : 0;
                    foreach (var report in reports ?? [])
                    {
                        yield return (path, report);
                    }
                }
            }

            await foreach (var ((path, report), imported) in store.ImportAllAsync(Readable(), r => r.Report, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: {(imported ? "imported" : "duplicate")} {report.Metadata.OrgName} {report.Metadata.ReportId} ({report.Policy.Domain}, {report.Records.Count} records)"));
            }

            return failed == 0 ? 0 : 2;
        }));
        return command;
    }
}
