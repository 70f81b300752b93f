using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Inbound;
using RelaySigner.Core.Telemetry;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Dmarc.Reports.Collection;
using RelaySigner.Dmarc.Reports.Store;
using RelaySigner.Queue;
using RelaySigner.Queue.Reports;
using RelaySigner.Testing;
using RelaySigner.Tests.Delivery;

using RelaySigner.Dmarc;

namespace RelaySigner.Tests.Dmarc;

/// <summary>The inbound listener's handler of report mail, called as the listener calls it.</summary>
public sealed class ReportMailHandlerTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly SqliteReportStore _store;
    private readonly AwaitableLogger<ReportMailHandler> _log = new();
    private readonly AwaitableLogger<ReportMailImporter> _importLog = new();

    public ReportMailHandlerTests() =>
        _store = SqliteReportStore.Open(Path.Combine(_folder.Path, QueueOptions.DatabaseFileName), TimeProvider.System);

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private ReportMailHandler Handler(IReportStore? store = null) => new(
        Options.Create(new DmarcOptions { ReportAddresses = ["dmarc@example.com", "rua@example.org"] }),
        new ReportMailImporter(store ?? _store, _importLog),
        _log);

    private static InboundMessage Message(byte[] content) => new("noreply@reporter.example", IPAddress.Parse("127.0.0.1"), content);

    [Fact]
    public void It_owns_the_configured_report_addresses_in_any_case_and_nothing_else()
    {
        var handler = Handler();

        Assert.True(handler.Owns("dmarc@example.com"));
        Assert.True(handler.Owns("RUA@Example.ORG"));
        Assert.False(handler.Owns("dmarc@example.net"));
        Assert.False(handler.Owns("postmaster@example.com"));
    }

    [Fact]
    public async Task The_attached_report_is_stored_once_and_the_message_is_not_kept()
    {
        var mail = SampleReports.Mail(SampleReports.Zip(("r.xml", Encoding.UTF8.GetBytes(SampleReports.Xml(id: "smtp-1")))), "r.zip");

        await Handler().HandleAsync(Message(mail), ["dmarc@example.com"], CancellationToken.None);
        await Handler().HandleAsync(Message(mail), ["dmarc@example.com"], CancellationToken.None); // the reporter sent it again

        var stored = new List<AggregateReport>();
        await foreach (var report in _store.ReadAsync(null, DateTimeOffset.UnixEpoch, CancellationToken.None))
        {
            stored.Add(report);
        }

        Assert.Equal("smtp-1", Assert.Single(stored).Metadata.ReportId);
        Assert.Equal("mail from <noreply@reporter.example>", Assert.Single(_importLog.Entries, e => e.EventId == EventIds.Dmarc.ReportImported).Text("Source"));
        Assert.Single(_importLog.Entries, e => e.EventId == EventIds.Dmarc.ReportDuplicate);
    }

    [Fact]
    public async Task A_message_without_a_readable_report_is_logged_and_dropped_without_its_subject()
    {
        var garbage = Encoding.ASCII.GetBytes("From: a@example.net\r\nSubject: secret plans\r\n\r\nhello\r\n");

        await Handler().HandleAsync(Message(garbage), ["dmarc@example.com"], CancellationToken.None);

        var dropped = Assert.Single(_log.Entries, e => e.EventId == EventIds.Dmarc.ReportMailUnusable);
        Assert.Equal("noreply@reporter.example", dropped.Text("Sender"));
        Assert.DoesNotContain("secret plans", dropped.Message, StringComparison.Ordinal);
        Assert.Empty(await _store.DomainsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_store_failure_is_thrown_so_the_listener_answers_451_and_the_reporter_retries()
    {
        var mail = SampleReports.Mail(SampleReports.Gzip(SampleReports.Xml(id: "smtp-2")), "r.xml.gz");

        await Assert.ThrowsAsync<IOException>(() => Handler(new FailingStore()).HandleAsync(Message(mail), ["dmarc@example.com"], CancellationToken.None));
    }

    private sealed class FailingStore : IReportStore
    {
        public Task<bool> ImportAsync(AggregateReport report, CancellationToken cancellationToken) => throw new IOException("disk full");

        public IAsyncEnumerable<AggregateReport> ReadAsync(string? domain, DateTimeOffset since, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> DomainsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<DailySourceTotals>> DailyBySourceAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ReporterSourceTotals>> SourcesAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
