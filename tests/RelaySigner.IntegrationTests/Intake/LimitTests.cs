using System.Net;
using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>Every limit gets its documented reply.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task Size_is_advertised_and_a_larger_declared_or_sent_message_gets_552_5_3_4()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, ("Relay:Smtp:MaxMessageSize", "10000"));
        await using var client = await RawSmtpClient.ConnectAsync(relay.Port);
        await client.ReadReplyAsync();

        Assert.Contains("SIZE 10000", await client.CommandAsync("EHLO client.test"));
        Assert.StartsWith("552 5.3.4", await client.CommandAsync("MAIL FROM:<app@example.com> SIZE=10001"));
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<app@example.com> SIZE=5000"));
        await client.CommandAsync("RCPT TO:<rcpt@example.org>");
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync("From: <app@example.com>\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('x', 98) + "\r\n", 110)));

        Assert.StartsWith("552 5.3.4", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task A_line_over_998_octets_gets_550_5_6_0_and_one_of_998_is_accepted()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);

        var fits = Submission.Message("app@example.com", "rcpt@example.org", body: new string('x', 998) + "\r\n");
        var overlong = Submission.Message("app@example.com", "rcpt@example.org", body: new string('x', 999) + "\r\n");

        Assert.Contains("queued as", await RawSendAsync(relay.Port, fits));
        Assert.StartsWith("550 5.6.0 message has a line longer than 998 octets", await RawSendAsync(relay.Port, overlong));
    }

    [Fact]
    public async Task A_header_block_over_the_limit_gets_552_5_3_4()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, ("Relay:Smtp:MaxHeaderSize", "2000"));
        var headers = string.Concat(Enumerable.Range(0, 30).Select(i => $"X-Filler-{i}: {new string('y', 80)}\r\n"));
        var message = Encoding.ASCII.GetBytes(headers + Encoding.ASCII.GetString(Submission.Message("app@example.com", "rcpt@example.org")));

        Assert.StartsWith("552 5.3.4 header block larger than 2000 octets", await RawSendAsync(relay.Port, message));
    }

    [Fact]
    public async Task Recipients_beyond_the_maximum_get_452_4_5_3_and_the_limit_starts_again_with_the_next_mail()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, ("Relay:Smtp:MaxRecipients", "2"), ("Relay:Smtp:MaxBadCommands", "2"));
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        await client.CommandAsync("MAIL FROM:<app@example.com>");
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<one@example.org>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<two@example.org>"));
        // Overshooting is not a bad command: three 452s do not close the session (MaxBadCommands is 2).
        for (var i = 3; i <= 5; i++)
        {
            Assert.StartsWith("452 4.5.3", await client.CommandAsync($"RCPT TO:<r{i}@example.org>"));
        }

        Assert.StartsWith("250", await client.CommandAsync("RSET"));
        await client.CommandAsync("MAIL FROM:<app@example.com>");
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<three@example.org>"));
    }

    [Theory]
    [InlineData("Relay:Smtp:MaxConnectionsPerClient")]
    [InlineData("Relay:Smtp:MaxConnections")]
    public async Task A_connection_over_the_cap_gets_421_4_7_0_and_a_freed_slot_is_reused(string cap)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, (cap, "2"));
        await using var first = await RawSmtpClient.GreetedAsync(relay.Port, ehlo: "");
        await using var second = await RawSmtpClient.GreetedAsync(relay.Port, ehlo: "");

        await using (var third = await RawSmtpClient.ConnectAsync(relay.Port))
        {
            Assert.StartsWith("421 4.7.0", await third.ReadReplyAsync());
            Assert.True(await third.IsClosedAsync());
        }

        Assert.StartsWith("221", await first.CommandAsync("QUIT"));
        Assert.True(await first.IsClosedAsync());
        await relay.Logs.WaitForEventAsync(EventIds.Intake.ConnectionClosed, e => Equals(e["ClientAddress"], "127.0.0.1"), TimeSpan.FromSeconds(30));
        await using var fourth = await RawSmtpClient.GreetedAsync(relay.Port, ehlo: "");
        Assert.StartsWith("250", await fourth.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task A_command_line_over_64_kib_gets_500_5_5_2_and_the_session_is_closed()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        await client.SendAsync("NOOP " + new string('x', 70 * 1024));

        Assert.StartsWith("500 5.5.2", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task After_max_bad_commands_the_session_gets_421_4_7_0_and_is_closed()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, ("Relay:Smtp:MaxBadCommands", "3"));
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        Assert.StartsWith("5", await client.CommandAsync("BOGUS"));
        Assert.StartsWith("5", await client.CommandAsync("RCPT TO:<a@example.org>"));
        Assert.StartsWith("5", await client.CommandAsync("MAIL FROM:<a\0b@example.com>"));

        Assert.StartsWith("421 4.7.0", await client.CommandAsync("NOOP"));
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task An_idle_client_is_closed_with_421_4_4_2_after_the_command_timeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, time);
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.StartsWith("250", await client.CommandAsync("NOOP"));
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.StartsWith("421 4.4.2", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task A_stalled_data_transfer_is_closed_with_421_4_4_2_after_the_data_timeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, time, ("Relay:Smtp:MinDataRate", "0"));
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);
        await client.CommandAsync("MAIL FROM:<app@example.com>");
        await client.CommandAsync("RCPT TO:<rcpt@example.org>");
        Assert.StartsWith("354", await client.CommandAsync("DATA"));

        time.Advance(TimeSpan.FromMinutes(3));

        Assert.StartsWith("421 4.4.2", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task A_data_transfer_below_the_minimum_rate_is_closed_with_421_4_4_2()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, time, ("Relay:Smtp:MinDataRate", "500"));
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);
        await client.CommandAsync("MAIL FROM:<app@example.com>");
        await client.CommandAsync("RCPT TO:<rcpt@example.org>");
        Assert.StartsWith("354", await client.CommandAsync("DATA"));

        time.Advance(TimeSpan.FromMinutes(1));
        await client.SendAsync("From: <app@example.com>\r\n"); // 26 bytes in 60 s

        Assert.StartsWith("421 4.4.2", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
    }

    private static async Task<string> RawSendAsync(int port, byte[] message)
    {
        await using var client = await RawSmtpClient.GreetedAsync(port);
        await client.CommandAsync("MAIL FROM:<app@example.com>");
        await client.CommandAsync("RCPT TO:<rcpt@example.org>");
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(message);
        return await client.CommandAsync(".");
    }
}
