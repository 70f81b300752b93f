using System.Text;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Telemetry;
using RelaySigner.Dmarc.Reports.Collection;
using RelaySigner.Queue;
using RelaySigner.Queue.Reports;
using RelaySigner.Testing;
using RelaySigner.Tests.Delivery;

using RelaySigner.Dmarc;

namespace RelaySigner.Tests.Dmarc;

/// <summary>The IMAP collector against a real dovecot on loopback, over TLS with its certificate checked.</summary>
public sealed class ImapReportCollectorTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly AwaitableLogger<ImapReportCollector> _log = new();
    private SqliteReportStore _store = null!;
    private DovecotServer _server = null!;

    public async Task InitializeAsync()
    {
        _store = SqliteReportStore.Open(Path.Combine(_folder.Path, QueueOptions.DatabaseFileName), TimeProvider.System);
        _server = await DovecotServer.StartAsync(
        [
            SampleReports.Mail(SampleReports.Zip(("google.com!example.com!1.xml", Encoding.UTF8.GetBytes(SampleReports.Xml(id: "imap-1")))), "report1.zip"),
            Encoding.ASCII.GetBytes("From: someone@example.net\r\nTo: dmarc@example.com\r\nSubject: hello\r\n\r\nNot a report at all.\r\n"),
            SampleReports.Mail(SampleReports.Gzip(SampleReports.Xml(org: "yahoo.com", id: "imap-2")), "report2.xml.gz"),
            SampleReports.Mail(SampleReports.Zip(("r.xml", Encoding.UTF8.GetBytes(SampleReports.Xml(org: "mail.example", id: "imap-3")))), "report3.zip"),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _store.Dispose();
        _folder.Dispose();
    }

    private ImapReportCollector Collector(string? trustedCertificate) => new(
        Options.Create(new DmarcOptions
        {
            Imap = new DmarcImapOptions
            {
                Host = "127.0.0.1",
                Port = _server.Port,
                User = DovecotServer.User,
                PasswordPath = _server.PasswordPath,
                TrustedCertificatePath = trustedCertificate,
            },
        }),
        new ReportMailImporter(_store, NullLogger<ReportMailImporter>.Instance),
        TimeProvider.System,
        _log);

    [Fact]
    public async Task Every_report_is_stored_and_its_mail_moved_to_the_processed_folder_and_the_garbage_to_the_failed_one()
    {
        var collection = await Collector(_server.CertificatePath).CollectAsync(CancellationToken.None);

        Assert.Equal(new ImapCollection(Messages: 4, Imported: 3, Duplicates: 0, Failed: 1), collection);
        var stored = new List<string>();
        await foreach (var report in _store.ReadAsync(null, DateTimeOffset.UnixEpoch, CancellationToken.None))
        {
            stored.Add(report.Metadata.ReportId);
        }

        Assert.Equal(["imap-1", "imap-2", "imap-3"], stored.Order());
        Assert.Equal(0, await _server.CountAsync("INBOX"));
        Assert.Equal(3, await _server.CountAsync("DMARC-processed"));
        Assert.Equal(1, await _server.CountAsync("DMARC-failed"));
        var failed = Assert.Single(_log.Entries, e => e.EventId == EventIds.Dmarc.ImapMessageFailed);
        Assert.Contains("carries no report attachment", failed.Text("Reason"));
        Assert.DoesNotContain(_log.Entries, e => e.Message.Contains("hello", StringComparison.Ordinal)); // no Subject in logs

        // Nothing is read twice: the next poll finds the folder empty.
        Assert.Equal(new ImapCollection(0, 0, 0, 0), await Collector(_server.CertificatePath).CollectAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_server_certificate_nobody_trusts_is_refused_and_the_mail_stays_where_it_is()
    {
        await Assert.ThrowsAsync<SslHandshakeException>(() => Collector(trustedCertificate: null).CollectAsync(CancellationToken.None));

        Assert.Equal(4, await _server.CountAsync("INBOX"));
        Assert.Empty(await _store.DomainsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_background_service_collects_at_start_and_logs_what_it_did()
    {
        using var collector = Collector(_server.CertificatePath);

        await collector.StartAsync(CancellationToken.None);
        var collected = await _log.WaitForEventAsync(EventIds.Dmarc.ImapCollected, timeout: TimeSpan.FromSeconds(30));
        await collector.StopAsync(CancellationToken.None);

        Assert.Equal(3, collected["Imported"]);
        Assert.Equal(1, collected["Failed"]);
    }
}
