using System.Net;
using System.Text;
using MailKit.Net.Smtp;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests;

/// <summary>SMTP in → signed → queued → SMTP out to a real sink, all on loopback.</summary>
public sealed class EndToEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempFolder _queue = new();

    [Fact]
    public async Task A_message_comes_out_signed_with_its_bytes_intact_and_verifies_with_mimekit_and_dkimpy()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint);
        var sent = Submission.Message("app@news.example.com", "rcpt@example.org");

        var reply = await Submission.SendAsync(relay.Port, "bounces@news.example.com", ["rcpt@example.org", "second@example.net"], sent);
        var received = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);

        Assert.Matches("^2\\.0\\.0 .*queued as [0-9A-F]+$", reply);
        Assert.Equal("bounces@news.example.com", received.Sender);
        Assert.Equal(["rcpt@example.org", "second@example.net"], received.Recipients);
        Assert.Equal(sent, received.Content[^sent.Length..]);
        var prepended = Encoding.ASCII.GetString(received.Content[..^sent.Length]);
        Assert.StartsWith("DKIM-Signature:", prepended);
        Assert.Equal(["DKIM-Signature", "Received"], prepended.Split("\r\n").Where(line => line.Length > 0 && line[0] is not (' ' or '\t')).Select(line => line[..line.IndexOf(':')]));

        Assert.Equal(["dkim=pass d=example.com s=demo2026 a=rsa-sha256"], new DkimCheck(new KeyFolderPublicKeyLocator(RepositoryRoot.KeysExample)).Verify(received.Content));
        var (exitCode, output) = await Dkimpy.VerifyAsync(received.Content);
        Assert.True(exitCode == 0, output);
        Assert.Equal("pass d=example.com s=demo2026 a=rsa-sha256", output.Trim());
    }

    [Theory]
    [InlineData("From: a@example.com\r\nFrom: b@example.com\r\nSubject: two authors\r\n\r\nbody\r\n", 550, "more than one From header")]
    [InlineData("From: someone@example.org\r\nSubject: no key\r\n\r\nbody\r\n", 550, "5.7.1 no DKIM key for example.org")]
    [InlineData("Subject: no author\r\n\r\nbody\r\n", 550, "no From header")]
    public async Task A_message_that_cannot_be_signed_aligned_is_refused_at_data_and_never_delivered(string content, int code, string reason)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint);

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], Encoding.ASCII.GetBytes(content)));

        Assert.Equal(SmtpErrorCode.MessageNotAccepted, refused.ErrorCode);
        Assert.Equal(code, (int)refused.StatusCode);
        Assert.Contains(reason, refused.Message);

        // The next message is the first to arrive: the refused one was not queued.
        var good = Submission.Message("app@example.com", "rcpt@example.org");
        await Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], good);
        var first = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(good, first.Content[^good.Length..]);
    }

    [Fact]
    public async Task A_client_outside_the_allowed_networks_is_refused_at_rcpt_with_554_5_7_1()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint, ("Relay:Smtp:AllowedNetworks:0", "192.0.2.0/24"));

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], Submission.Message("app@example.com", "rcpt@example.org")));

        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, refused.ErrorCode);
        Assert.Equal(554, (int)refused.StatusCode);
        Assert.Contains("5.7.1", refused.Message);
    }

    [Fact]
    public async Task A_message_queued_while_the_sink_is_down_is_delivered_once_it_is_up()
    {
        var sinkEndpoint = FreePort.Reserve();
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sinkEndpoint);
        var sent = Submission.Message("app@example.com", "rcpt@example.org");

        await Submission.SendAsync(relay.Port, "app@example.com", ["rcpt@example.org"], sent);
        await relay.Logs.WaitForEventAsync(EventIds.Delivery.RecipientNotRelayed, e => Equals(e["Status"], "deferred"), Patience);
        await using var sink = SmtpSink.Start(sinkEndpoint);
        var received = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(sent, received.Content[^sent.Length..]);
        Assert.Equal(0, (await Dkimpy.VerifyAsync(received.Content)).ExitCode);
    }

    [Fact]
    public async Task Undelivered_mail_survives_a_restart_and_is_delivered_by_the_next_start()
    {
        var sinkEndpoint = FreePort.Reserve();
        var sent = Submission.Message("app@example.com", "rcpt@example.org");
        await using (var first = await RelayUnderTest.StartAsync(_queue.Path, sinkEndpoint))
        {
            await Submission.SendAsync(first.Port, "app@example.com", ["rcpt@example.org"], sent);
            await first.Logs.WaitForEventAsync(EventIds.Delivery.RecipientNotRelayed, e => Equals(e["Status"], "deferred"), Patience);
        }

        await using var sink = SmtpSink.Start(sinkEndpoint);
        await using var second = await RelayUnderTest.StartAsync(_queue.Path, sinkEndpoint);
        var received = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(sent, received.Content[^sent.Length..]);
        Assert.Equal(["rcpt@example.org"], received.Recipients);
    }

    public void Dispose() => _queue.Dispose();
}
