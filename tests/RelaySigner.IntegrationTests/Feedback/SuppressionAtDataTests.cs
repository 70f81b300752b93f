using System.Net;
using MailKit.Net.Smtp;
using Microsoft.Extensions.DependencyInjection;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Feedback;

/// <summary>
/// At DATA the relay consults the suppression list of the From's organisational domain: a suppressed recipient is
/// dropped (logged, a <c>suppressed</c> event), and a message left with none is refused 550 5.7.1 naming the reason.
/// </summary>
public sealed class SuppressionAtDataTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset BouncedAt = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _queue = new();

    public void Dispose() => _queue.Dispose();

    [Fact]
    public async Task Suppressed_recipients_are_not_delivered_and_a_message_left_with_none_is_refused_naming_the_reason()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint, OutboxTable.EventsOn);
        var list = relay.Services.GetRequiredService<ISuppressionList>();
        // Listed for the organisational domain; the mail comes from a subdomain of it.
        await list.RecordAsync([new Suppression("example.com", "gone@example.org", SuppressionReason.HardBounce, BouncedAt, "5.1.1")], [],
            CancellationToken.None);

        var partly = await Submission.SendAsync(relay.Port, "app@news.example.com", ["gone@example.org", "here@example.org"],
            Submission.Message("app@news.example.com", "here@example.org"));
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Submission.SendAsync(relay.Port, "app@news.example.com",
            ["gone@EXAMPLE.ORG"], Submission.Message("app@news.example.com", "gone@example.org")));

        Assert.Contains("queued as", partly);
        var delivered = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(["here@example.org"], delivered.Recipients);
        var logged = await relay.Logs.WaitForEventAsync(EventIds.Intake.RecipientSuppressed, Patience);
        Assert.Equal("gone@example.org", logged.Text("Recipient"));
        Assert.Equal("example.com", logged.Text("Domain"));

        // The local part compares exactly: GONE@ is another mailbox and is not suppressed, so only the second one is.
        Assert.Contains("queued as", await Submission.SendAsync(relay.Port, "app@news.example.com", ["GONE@Example.org"],
            Submission.Message("app@news.example.com", "GONE@example.org")));
        Assert.Equal(550, (int)refused.StatusCode);
        Assert.Contains("5.7.1 recipient suppressed for mail from example.com: hard bounce on 2026-12-01", refused.Message);

        var suppressed = OutboxTable.Events(_queue.Path).Where(e => e.Type == RelayEventType.Suppressed).ToList();
        Assert.Equal(["gone@example.org", "gone@EXAMPLE.ORG"], suppressed.Select(e => e.Recipient));
        Assert.All(suppressed, e => Assert.Equal(("news.example.com", "hard-bounce", "5.1.1"), (e.FromDomain, e.Kind, e.Status)));
    }
}
