using System.Text;
using MimeKit;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Queue;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>
/// The DSN extension (RFC 3461) end to end over real sockets: a client's NOTIFY, RET, ENVID and ORCPT taken at intake,
/// kept with the message, and honoured in the report a failing destination causes, which comes back DKIM-signed by
/// the relay's own domain.
/// </summary>
public sealed class DsnExtensionTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempFolder _queue = new();

    [Fact]
    public async Task Ehlo_offers_dsn_and_malformed_parameters_get_501()
    {
        await using var sink = new RefusingSink("bad@example.org");
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint);
        await using var client = await RawSmtpClient.ConnectAsync(relay.Port);
        Assert.StartsWith("220", await client.ReadReplyAsync());

        Assert.Matches(@"(?m)^250[ -]DSN\r?$", await client.CommandAsync("EHLO client.test"));
        Assert.StartsWith("501 5.5.4 RET", await client.CommandAsync("MAIL FROM:<app@example.com> RET=BODY"));
        Assert.StartsWith("501 5.5.4 ENVID", await client.CommandAsync("MAIL FROM:<app@example.com> ENVID=a+0Ab"));
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<app@example.com> RET=FULL ENVID=x"));
        Assert.StartsWith("501 5.5.4 NOTIFY", await client.CommandAsync("RCPT TO:<a@example.org> NOTIFY=NEVER,FAILURE"));
        Assert.StartsWith("555 5.5.4", await client.CommandAsync("RCPT TO:<a@example.org> FOO=BAR"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<a@example.org> NOTIFY=DELAY ORCPT=rfc822;a@example.org"));
    }

    [Fact]
    public async Task A_failing_recipient_with_notify_failure_gets_a_signed_report_with_the_clients_envid_orcpt_and_headers_only()
    {
        await using var sink = new RefusingSink("bad@example.org");
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint, ("Relay:Delivery:HeloName", "relay.example.com"));
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<app@example.com> RET=HDRS ENVID=invoice+2B17"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<bad@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Bad+2Balias@example.org"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(Submission.Message("app@example.com", "bad@example.org", body: "The body stays home.\r\n"));
        Assert.StartsWith("250 2.0.0", await client.CommandAsync("."));

        var (sender, recipients, content) = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal("", sender);
        Assert.Equal(["app@example.com"], recipients);
        var report = MimeMessage.Load(new MemoryStream(content));
        Assert.Equal("MAILER-DAEMON@relay.example.com", report.From.Mailboxes.Single().Address);
        var parts = Assert.IsType<MultipartReport>(report.Body);
        var status = Assert.IsType<MessageDeliveryStatus>(parts[1]);
        Assert.Equal("invoice+17", status.StatusGroups[0]["Original-Envelope-Id"]);
        var recipient = Assert.Single(status.StatusGroups.Skip(1), group => group.Count > 0);
        Assert.Equal("rfc822;Bad+alias@example.org", recipient["Original-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("text/rfc822-headers", parts[2].ContentType.MimeType);
        Assert.DoesNotContain("The body stays home.", Encoding.ASCII.GetString(content));

        // Signed by the relay's own domain's key (example.com for relay.example.com), as an independent verifier sees it.
        var (exitCode, output) = await Dkimpy.VerifyAsync(content);
        Assert.True(exitCode == 0, output);
        Assert.Contains("pass d=example.com", output);
    }

    [Fact]
    public async Task A_failing_recipient_with_notify_never_gets_no_report()
    {
        await using var sink = new RefusingSink("bad@example.org");
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint);
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<app@example.com>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<bad@example.org> NOTIFY=NEVER"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(Submission.Message("app@example.com", "bad@example.org"));
        var queued = await client.CommandAsync(".");
        Assert.StartsWith("250 2.0.0", queued);
        var id = queued.Split(' ')[^1].Trim();

        var notWanted = await relay.Logs.WaitForEventAsync(EventIds.Delivery.NotificationNotWanted, e => Equals(e["QueueId"], id), Patience);
        Assert.Equal("bad@example.org", notWanted["Recipient"]);
        await relay.Logs.WaitForEventAsync(EventIds.Delivery.AttemptDone, e => Equals(e["QueueId"], id), Patience);
        Assert.Empty(QueueListing.Read(_queue.Path)); // no report was queued with the attempt
        Assert.False(sink.Received.TryRead(out _));
    }

    public void Dispose() => _queue.Dispose();
}
