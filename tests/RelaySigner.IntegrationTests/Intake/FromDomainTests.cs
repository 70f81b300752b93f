using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>A client gets signatures only for its own From domains: what keeps one tenant from another's DMARC pass.</summary>
public sealed class FromDomainTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_authenticated_user_may_send_as_its_domains_and_their_subdomains_but_not_another_tenants()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null,
            [("Relay:Smtp:AllowedNetworks:0", "192.0.2.0/24"), .. IntakeRelay.User(0, "tenant-a", "news.example.com"), .. IntakeRelay.User(1, "tenant-b", "example.com")]);
        using var client = await TlsSubmission.ConnectAsync(relay.SubmissionPort, SecureSocketOptions.StartTls, "tenant-a", IntakeRelay.Password);

        var own = await TlsSubmission.SendAsync(client, "a@news.example.com", ["rcpt@example.org"], Submission.Message("a@news.example.com", "rcpt@example.org"));
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            TlsSubmission.SendAsync(client, "a@news.example.com", ["rcpt@example.org"], Submission.Message("ceo@example.com", "rcpt@example.org")));

        Assert.Contains("queued as", own);
        Assert.Equal(550, (int)refused.StatusCode);
        Assert.Contains("5.7.1 this client may not send as example.com", refused.Message);
        var received = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Contains("d=example.com", System.Text.Encoding.ASCII.GetString(received.Content)); // aligned via the parent key
    }

    [Fact]
    public async Task A_client_network_entry_limits_its_clients_to_its_domains_and_beats_a_wider_allowed_network()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null,
            ("Relay:Smtp:AllowedNetworks:0", "127.0.0.0/8"),
            ("Relay:Smtp:Clients:0:Networks:0", "127.0.0.1/32"),
            ("Relay:Smtp:Clients:0:AllowedFromDomains:0", "news.example.com"));

        var own = await Submission.SendAsync(relay.Port, "a@news.example.com", ["rcpt@example.org"], Submission.Message("a@news.example.com", "rcpt@example.org"));
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Submission.SendAsync(relay.Port, "a@example.com", ["rcpt@example.org"], Submission.Message("a@example.com", "rcpt@example.org")));

        Assert.Contains("queued as", own);
        Assert.Equal(550, (int)refused.StatusCode);
        Assert.Contains("5.7.1", refused.Message);
    }
}
