namespace RelaySigner.Dmarc.Reports.Store;

/// <summary>
/// The DMARC aggregate reports the relay collected (by SMTP, IMAP or <c>dmarc import</c>), kept in the queue's
/// database so every node of a cluster sees the same ones. A report is identified by its reporter (org name) and
/// report id: importing it again changes nothing. The dashboard reads sums kept at import time, never every record.
/// </summary>
public interface IReportStore
{
    /// <summary>Stores <paramref name="report"/> with its records, durably, in one transaction.</summary>
    /// <returns>False when a report with the same reporter and id was stored before (nothing changed).</returns>
    Task<bool> ImportAsync(AggregateReport report, CancellationToken cancellationToken);

    /// <summary>The stored reports whose period ends after <paramref name="since"/>, of one policy domain or all,
    /// with their records (for <c>dmarc report</c> and <c>dmarc advise</c> given no files).</summary>
    IAsyncEnumerable<AggregateReport> ReadAsync(string? domain, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The policy domains that have reports, in order.</summary>
    Task<IReadOnlyList<string>> DomainsAsync(CancellationToken cancellationToken);

    /// <summary>Per UTC day (of each report's begin) and source IP, the sums of one domain's records in
    /// [<paramref name="from"/>, <paramref name="to"/>].</summary>
    Task<IReadOnlyList<DailySourceTotals>> DailyBySourceAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken);

    /// <summary>Per reporter and source IP, the sums of one domain's records in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    Task<IReadOnlyList<ReporterSourceTotals>> SourcesAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken);
}
