using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Dmarc.Reports.Store;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// An <see cref="IReportStore"/> in memory for the dashboard's tests and benchmark, until the stores in the queue's
/// database take its place: deduplicated by reporter and report id, and summed at import per domain, UTC day (of the
/// report's begin), reporter and source, as the real stores keep their sums.
/// </summary>
internal sealed class InMemoryReportStore : IReportStore
{
    private readonly ConcurrentDictionary<(string OrgName, string ReportId), AggregateReport> _reports = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<DateOnly, ConcurrentDictionary<(string OrgName, IPAddress Ip), Sums>>> _sums = new(StringComparer.Ordinal);

    public Task<bool> ImportAsync(AggregateReport report, CancellationToken cancellationToken)
    {
        if (!_reports.TryAdd((report.Metadata.OrgName.ToLowerInvariant(), report.Metadata.ReportId), report))
        {
            return Task.FromResult(false);
        }

        var day = DateOnly.FromDateTime(report.Metadata.Begin.UtcDateTime);
        var sums = _sums.GetOrAdd(report.Policy.Domain, _ => new()).GetOrAdd(day, _ => new());
        foreach (var record in report.Records)
        {
            sums.GetOrAdd((report.Metadata.OrgName, record.SourceIp), _ => new Sums()).Add(record);
        }

        return Task.FromResult(true);
    }

    public async IAsyncEnumerable<AggregateReport> ReadAsync(string? domain, DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var report in _reports.Values.Where(r => r.Metadata.End > since && (domain is null || r.Policy.Domain == domain)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return report;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<IReadOnlyList<string>> DomainsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. _sums.Keys.Order(StringComparer.Ordinal)]);

    public Task<IReadOnlyList<DailySourceTotals>> DailyBySourceAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DailySourceTotals>>([.. Within(domain, from, to)
            .GroupBy(x => (x.Day, x.Key.Ip))
            .Select(g => new DailySourceTotals(g.Key.Day, g.Key.Ip, Sums.Total(g.Select(x => x.Sums))))]);

    public Task<IReadOnlyList<ReporterSourceTotals>> SourcesAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReporterSourceTotals>>([.. Within(domain, from, to)
            .GroupBy(x => (x.Key.OrgName, x.Key.Ip))
            .Select(g => new ReporterSourceTotals(g.Key.OrgName, g.Key.Ip, Sums.Total(g.Select(x => x.Sums))))]);

    /// <summary>The sums of the days in [<paramref name="from"/>, <paramref name="to"/>], each day looked up, not scanned for.</summary>
    private IEnumerable<(DateOnly Day, (string OrgName, IPAddress Ip) Key, Sums Sums)> Within(string domain, DateOnly from, DateOnly to)
    {
        if (!_sums.TryGetValue(domain, out var days))
        {
            yield break;
        }

        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (days.TryGetValue(day, out var sums))
            {
                foreach (var (key, value) in sums)
                {
                    yield return (day, key, value);
                }
            }
        }
    }

    private sealed class Sums
    {
        private long _messages, _dkim, _spf, _pass, _quarantined, _rejected;

        public void Add(ReportRecord record)
        {
            lock (this)
            {
                _messages += record.Count;
                _dkim += record.DkimAligned ? record.Count : 0;
                _spf += record.SpfAligned ? record.Count : 0;
                _pass += record.DmarcPass ? record.Count : 0;
                _quarantined += record.Disposition == "quarantine" ? record.Count : 0;
                _rejected += record.Disposition == "reject" ? record.Count : 0;
            }
        }

        public static ReportTotals Total(IEnumerable<Sums> all)
        {
            var total = default(ReportTotals);
            foreach (var s in all)
            {
                lock (s)
                {
                    total = new ReportTotals(total.Messages + s._messages, total.DkimAligned + s._dkim, total.SpfAligned + s._spf,
                        total.DmarcPass + s._pass, total.Quarantined + s._quarantined, total.Rejected + s._rejected);
                }
            }

            return total;
        }
    }
}
