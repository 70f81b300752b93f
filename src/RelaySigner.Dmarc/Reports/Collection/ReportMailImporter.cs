using Microsoft.Extensions.Logging;
using RelaySigner.Dmarc.Reports.Store;

namespace RelaySigner.Dmarc.Reports.Collection;

/// <summary>
/// Stores the reports a received mail message carries, read under the limits of <c>dmarc report</c>
/// (<see cref="ReportFileReader.ReadMessage"/>): what the SMTP handler and the IMAP collector share.
/// </summary>
public sealed class ReportMailImporter(IReportStore store, ILogger<ReportMailImporter> logger)
{
    private readonly ReportFileReader _reader = new(ReportLimits.Default);

    /// <param name="source">Names the message in logs and errors (never its Subject).</param>
    /// <returns>How many reports were stored and how many had been stored before.</returns>
    /// <exception cref="InvalidReportException">The message carries no readable report; nothing was stored.</exception>
    public async Task<(int Imported, int Duplicates)> ImportAsync(ReadOnlyMemory<byte> message, string source, CancellationToken cancellationToken)
    {
        // Every report is read before the first is stored: a message with one bad attachment is refused whole.
        var reports = _reader.ReadMessage(message, source);
        var (imported, duplicates) = (0, 0);
        foreach (var report in reports)
        {
            var (metadata, domain) = (report.Metadata, report.Policy.Domain);
            if (await store.ImportAsync(report, cancellationToken).ConfigureAwait(false))
            {
                imported++;
                ReportCollectionLog.Imported(logger, metadata.ReportId, metadata.OrgName, domain, source, report.Records.Count);
            }
            else
            {
                duplicates++;
                ReportCollectionLog.Duplicate(logger, metadata.ReportId, metadata.OrgName, source);
            }
        }

        return (imported, duplicates);
    }
}
