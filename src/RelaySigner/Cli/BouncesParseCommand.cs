using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Feedback.Parsing;

namespace RelaySigner.Cli;

/// <summary>
/// <c>relaysigner bounces parse FILE|FOLDER… [--json]</c>: every recipient of every message file with its status, kind
/// and whether it would be suppressed. A file that is read but not understood is a row of kind unknown; only a file
/// that cannot be read at all gets an error line (and exit code 2).
/// </summary>
internal static class BouncesParseCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static Command Create()
    {
        var paths = new Argument<string[]>("files")
        {
            Description = "Messages as received (.eml, RFC 5322), or folders of them",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON array for scripts instead of a table" };
        var command = new Command("parse", "Classify the recipients of bounces, complaints and auto-replies: hard, soft, block, complaint, autoreply, auth-failure or unknown. Exit code 2 when a file could not be read.")
        {
            paths, json,
        };
        command.SetAction(parseResult =>
        {
            var (output, errors) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            var parser = new FeedbackParser();
            var rows = new List<BounceRow>();
            var failed = 0;
            foreach (var path in parseResult.GetValue(paths)!.SelectMany(Expand))
            {
                try
                {
                    // Bounces come from anyone: read regular files only (a FIFO would hang the run, a device never end).
                    var (stream, _) = RegularFile.OpenRead(path);
                    using var _ = stream;
                    var report = parser.Parse(stream);
                    rows.AddRange(report.Recipients.Count == 0
                        ? [new BounceRow(path, null, null, FeedbackKind.Unknown, false)]
                        : report.Recipients.Select(r => new BounceRow(path, r.Recipient, r.Status, r.Kind, r.Suppress)));
                }
                catch (InvalidReportException ex)
                {
                    errors.WriteLine($"error: {ex.Message}");
                    failed++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    errors.WriteLine($"error: {path}: {(ex is FileNotFoundException or DirectoryNotFoundException ? "no such file" : ex.Message)}");
                    failed++;
                }
            }

            output.WriteLine(parseResult.GetValue(json) ? JsonSerializer.Serialize(rows, Json) : Table(rows));
            return failed == 0 ? 0 : 2;
        });
        return command;
    }

    private static string Table(List<BounceRow> rows)
    {
        var lines = rows.Select(row => new[]
        {
            row.File, row.Recipient ?? "-", row.Status ?? "-", JsonNamingPolicy.KebabCaseLower.ConvertName(row.Kind.ToString()), row.Suppress ? "yes" : "no",
        }).Prepend(["FILE", "RECIPIENT", "STATUS", "KIND", "SUPPRESS"]).ToList();
        var widths = Enumerable.Range(0, 5).Select(column => lines.Max(line => line[column].Length)).ToArray();
        return string.Join("\n", lines.Select(line => string.Join("  ", line.Select((cell, column) => column < 4 ? cell.PadRight(widths[column]) : cell))));
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true }).Order(StringComparer.Ordinal)
            : [path];
}
