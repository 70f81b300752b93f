using System.Net;
using System.Text;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>No input can smuggle a second message past the relay, in plaintext or through STARTTLS.</summary>
public sealed class SmugglingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private const string Smuggled =
        "MAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\nFrom: <evil@example.com>\r\nSubject: smuggled\r\n\r\nsmuggled\r\n";

    /// <summary>The end-of-data variants of the smtpsmug checker, with and without NUL.</summary>
    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\n.\r\n")]
    [InlineData("\r.\r")]
    [InlineData("\r\n.\r")]
    [InlineData("\r.\r\n")]
    [InlineData("\r\n\0.\r\n")]
    [InlineData("\r\n.\0\r\n")]
    [InlineData("\n\0.\n")]
    [InlineData("\r\0.\r")]
    public async Task A_fake_end_of_data_never_produces_a_second_message(string fakeEnd)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);
        await client.CommandAsync("MAIL FROM:<app@example.com>");
        await client.CommandAsync("RCPT TO:<rcpt@example.org>");
        Assert.StartsWith("354", await client.CommandAsync("DATA"));

        var reply = await client.CommandAsync("From: <app@example.com>\r\nSubject: carrier\r\n\r\ncarrier" + fakeEnd + Smuggled + ".");

        Assert.StartsWith("550 5.6.0", reply);
        // Exactly one reply came back for all of it: the next command gets its own reply, not a smuggled one's.
        Assert.StartsWith("250", await client.CommandAsync("NOOP"));
        await SendLegitimateAsync(client);
        var first = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Contains("Subject: legitimate", Encoding.ASCII.GetString(first.Content));
        Assert.Equal(["rcpt@example.org"], first.Recipients);
    }

    /// <summary>
    /// SmtpServer 11.1.0 misses a marker split across three buffer segments; the relay's reader hands it one
    /// contiguous buffer. Each piece is its own write (and TCP segment, NoDelay); the unit tests of
    /// SessionPipeReader pin the exact three-read split.
    /// </summary>
    [Fact]
    public async Task An_end_of_data_marker_sent_in_three_pieces_ends_the_message()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);
        await client.CommandAsync("MAIL FROM:<app@example.com>");
        await client.CommandAsync("RCPT TO:<rcpt@example.org>");
        Assert.StartsWith("354", await client.CommandAsync("DATA"));

        await client.SendAsync("From: <app@example.com>\r\nSubject: split\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('x', 70) + "\r\n", 100)) + "last line");
        await client.SendAsync("\r");
        await client.SendAsync("\n.");
        await client.SendAsync("\r\n");

        Assert.Contains("queued as", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Commands_pipelined_after_starttls_are_discarded_and_ehlo_is_required_again()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        // The classic injection: plaintext commands in the same packet as STARTTLS.
        await client.SendAsync("STARTTLS\r\nMAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.org>\r\n");
        Assert.StartsWith("220", await client.ReadReplyAsync());
        await client.StartTlsAsync();

        // Had the injected commands run, this would be a second MAIL (503) or be answered by their replies.
        Assert.StartsWith("503 5.5.1", await client.CommandAsync("MAIL FROM:<app@example.com>"));
        Assert.StartsWith("250", await client.CommandAsync("EHLO client.test"));
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<app@example.com>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<rcpt@example.org>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        Assert.Contains("queued as", await client.CommandAsync("From: <app@example.com>\r\nSubject: after tls\r\n\r\nbody\r\n."));

        var received = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal("app@example.com", received.Sender);
        Assert.Equal(["rcpt@example.org"], received.Recipients);
    }

    private static async Task SendLegitimateAsync(RawSmtpClient client)
    {
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<app@example.com>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<rcpt@example.org>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        Assert.Contains("queued as", await client.CommandAsync("From: <app@example.com>\r\nSubject: legitimate\r\n\r\nbody\r\n."));
    }
}
