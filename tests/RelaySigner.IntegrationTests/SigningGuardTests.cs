using System.Net;
using System.Text;
using MailKit.Net.Smtp;
using Microsoft.Extensions.DependencyInjection;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Signing.Guard;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests;

/// <summary>Relay:Dkim:VerifyDns through the running relay, with its resolver pointed at unbound on loopback.</summary>
public sealed class SigningGuardTests : IDisposable
{
    private readonly TempFolder _queue = new();

    private async Task<RelayUnderTest> StartRelayAsync(UnboundServer dns, SmtpSink sink)
    {
        var relay = await RelayUnderTest.StartAsync(
            _queue.Path,
            sink.Endpoint,
            ("Relay:Dkim:VerifyDns", "true"),
            ("Relay:Delivery:DnsServer", dns.Endpoint.ToString()));
        await relay.Services.GetRequiredService<PublishedKeyGuard>().FirstPass.WaitAsync(TimeSpan.FromSeconds(30));
        return relay;
    }

    [Fact]
    public async Task A_key_published_as_it_is_signs()
    {
        await using var dns = await UnboundServer.StartAsync([$"demo2026._domainkey.example.com. 300 IN TXT {DemoKeyRecord.ZoneData}"]);
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartRelayAsync(dns, sink);

        await Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], Submission.Message("app@example.com", "rcpt@example.org"));
        var received = await sink.Received.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("s=demo2026", Encoding.ASCII.GetString(received.Content));
    }

    [Fact]
    public async Task A_key_that_dns_contradicts_is_not_used_and_the_client_is_told_to_retry()
    {
        await using var dns = await UnboundServer.StartAsync(["demo2026._domainkey.example.com. 300 IN TXT \"v=DKIM1; k=rsa; p=\""]);
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await StartRelayAsync(dns, sink);

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], Submission.Message("app@example.com", "rcpt@example.org")));

        Assert.Equal(451, (int)refused.StatusCode);
        Assert.Contains("4.7.5", refused.Message);
    }

    public void Dispose() => _queue.Dispose();
}
