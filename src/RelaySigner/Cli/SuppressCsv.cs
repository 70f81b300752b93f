using System.Globalization;
using CsvHelper;
using RelaySigner.Core.Feedback;

namespace RelaySigner.Cli;

/// <summary>
/// The CSV form of the suppression list (<c>suppress import|export</c>): RFC 4180, a header line
/// <c>domain,recipient,reason,since,status</c>, the reason by name (<c>hard-bounce</c>…), the time in ISO 8601 UTC.
/// </summary>
internal static class SuppressCsv
{
    public static readonly string[] Header = ["domain", "recipient", "reason", "since", "status"];

    private static readonly CsvReaderOptions ReaderOptions = new()
    {
        HasHeader = true,
        TrackLineNumbers = true,
        SkipEmptyLines = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        FieldCountMismatch = CsvFieldCountHandling.Throw,
    };

    // Injection escaping off: the fields are addresses and names the list holds, read back by import as they are.
    private static readonly CsvWriterOptions WriterOptions = new() { NewLine = "\n" };

    public static async Task WriteAsync(TextWriter output, IAsyncEnumerable<Suppression> entries, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(output, WriterOptions, true);
        await csv.WriteRecordAsync(Header, cancellationToken).ConfigureAwait(false);
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await csv.WriteRecordAsync(
            [
                entry.Domain,
                entry.Recipient,
                SuppressionReasons.Name(entry.Reason),
                entry.Since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                entry.Status ?? "",
            ], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads every line, or stops at the first that cannot be used.</summary>
    /// <param name="domain">The domain of lines whose domain field is empty; null when they must name one.</param>
    /// <returns>The entries, or the problem with its line number (1 is the header).</returns>
    public static (List<Suppression> Entries, string? Problem) Read(TextReader input, string? domain, DateTimeOffset now)
    {
        var entries = new List<Suppression>();
        using var csv = CsvReader.Create(input, ReaderOptions, true);
        try
        {
            if (!csv.Headers.Select(h => h.Trim().ToLowerInvariant()).SequenceEqual(Header))
            {
                return (entries, $"line 1: the header must be {string.Join(',', Header)}");
            }

            while (csv.Read())
            {
                var (entry, problem) = SuppressEntry.Parse(csv.GetString(0) is { Length: > 0 } given ? given : domain,
                    csv.GetString(1), csv.GetString(2), csv.GetString(3), csv.GetString(4), now);
                if (entry is null)
                {
                    return (entries, string.Create(CultureInfo.InvariantCulture, $"line {csv.LineNumber}: {problem}"));
                }

                entries.Add(entry);
            }
        }
        catch (CsvFormatException ex)
        {
            return (entries, string.Create(CultureInfo.InvariantCulture, $"line {ex.LineNumber}: not valid CSV ({ex.Message})"));
        }

        return (entries, null);
    }
}
