using System.Net;
using System.Text;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Queue;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>
/// The envelope over real sockets: a client limited to some domains may not name a stranger as the sender (where
/// its bounces would go), and a recipient given several times is one recipient in the queue and at the receiver.
/// </summary>
public sealed class EnvelopeTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempFolder _queue = new();

    [Fact]
    public async Task An_authenticated_user_may_use_only_its_domains_their_subdomains_or_the_null_sender_in_mail_from()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null,
            [("Relay:Smtp:AllowedNetworks:0", "192.0.2.0/24"), .. IntakeRelay.User(0, "tenant-a", "news.example.com")]);
        await using var client = await RawSmtpClient.GreetedAsync(relay.SubmissionPort);
        Assert.StartsWith("220", await client.CommandAsync("STARTTLS"));
        await client.StartTlsAsync();
        Assert.StartsWith("250", await client.CommandAsync("EHLO client.test"));
        Assert.StartsWith("235", await client.CommandAsync("AUTH PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0tenant-a\0" + IntakeRelay.Password))));

        Assert.StartsWith("550 5.7.1 this client may not use victim.org in MAIL FROM", await client.CommandAsync("MAIL FROM:<ceo@victim.org>"));
        Assert.StartsWith("5", await client.CommandAsync("RCPT TO:<rcpt@example.org>")); // no transaction was started
        Assert.StartsWith("550 5.7.1", await client.CommandAsync("MAIL FROM:<a@example.com>")); // the parent is not its domain
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<bounces@news.example.com>"));
        Assert.StartsWith("250", await client.CommandAsync("RSET"));
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<bounces@eu.news.example.com>"));
        Assert.StartsWith("250", await client.CommandAsync("RSET"));
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<rcpt@example.org>"));
    }

    [Theory]
    [InlineData("ceo@victim.org", "550 5.7.1 this client may not use victim.org in MAIL FROM")]
    [InlineData("app@news.example.com", "250")]
    public async Task A_client_network_limited_to_its_domains_is_limited_in_mail_from_too(string sender, string reply)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null,
            ("Relay:Smtp:Clients:0:Networks:0", "127.0.0.1/32"),
            ("Relay:Smtp:Clients:0:AllowedFromDomains:0", "news.example.com"));
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        Assert.StartsWith(reply, await client.CommandAsync($"MAIL FROM:<{sender}>"));
    }

    /// <summary>Kept as it was: a network in AllowedNetworks names no domains, so its clients (e.g. a forwarding MTA) may use any sender.</summary>
    [Fact]
    public async Task A_client_allowed_by_network_alone_may_still_use_any_sender()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<someone@elsewhere.example>"));
    }

    [Fact]
    public async Task A_recipient_given_five_times_is_queued_once_and_the_receiver_gets_one_rcpt_for_it()
    {
        // Nothing listens at the smarthost yet, so the message stays queued to be looked at; the sink comes later.
        var smarthost = FreePort.Reserve();
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, smarthost);
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<app@example.com>"));
        foreach (var recipient in new[] { "rcpt@example.org", "rcpt@example.org", "rcpt@EXAMPLE.org", "other@example.org", "rcpt@example.org", "rcpt@Example.Org" })
        {
            Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        }

        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(Submission.Message("app@example.com", "rcpt@example.org", body: "No line here starts with a dot.\r\n"));
        Assert.StartsWith("250 2.0.0", await client.CommandAsync("."));

        var queued = Assert.Single(QueueListing.Read(_queue.Path));
        Assert.Equal(["rcpt@example.org", "other@example.org"], queued.Recipients.Select(r => r.Address));

        await using var sink = SmtpSink.Start(smarthost);
        var received = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(["rcpt@example.org", "other@example.org"], received.Recipients);
    }

    [Fact]
    public async Task Copies_of_a_recipient_do_not_count_towards_the_recipient_limit()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, ("Relay:Smtp:MaxRecipients", "2"));
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<app@example.com>"));

        foreach (var recipient in new[] { "a@example.org", "a@example.org", "a@EXAMPLE.ORG", "b@example.org", "b@example.org" })
        {
            Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        }

        Assert.StartsWith("452 4.5.3", await client.CommandAsync("RCPT TO:<c@example.org>"));
    }

    public void Dispose() => _queue.Dispose();
}
