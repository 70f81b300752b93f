using System.Net;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>
/// A client cannot hold a connection slot by being slow: a command line has the command timeout from its first
/// byte, a session its time limit between commands. A message in DATA is never cut by the session limit.
/// </summary>
public sealed class SlowClientTests
{
    /// <summary>
    /// One byte every 200 ms of a 100-byte line: the line would take 20 s, and each byte used to restart the
    /// (idle) command timeout of 2 s, so the line completed and got its 250. Now it is cut at 2 s after its first byte.
    /// </summary>
    [Fact]
    public async Task A_command_line_dripped_a_byte_at_a_time_is_cut_with_421_4_4_2_at_the_command_timeout()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, ("Relay:Smtp:CommandTimeout", "00:00:02"));
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);
        var reply = client.ReadReplyAsync();

        foreach (var b in "NOOP " + new string('x', 93) + "\r\n")
        {
            if (reply.IsCompleted)
            {
                break;
            }

            try
            {
                await client.SendAsync(b.ToString());
            }
            catch (IOException)
            {
                break; // closed by the relay: its reply is already there
            }

            await Task.WhenAny(reply, Task.Delay(200));
        }

        // (The exact text says "Command line not completed in time"; only the code is asserted, in case a loaded
        // machine delays the first byte past the idle timeout, which is the same 421.)
        Assert.StartsWith("421 4.4.2 relay.test", await reply);
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task A_message_in_data_when_the_session_time_limit_passes_is_queued_and_the_next_command_gets_421_4_4_2()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, time, ("Relay:Smtp:SessionTimeout", "00:01:00"), ("Relay:Smtp:MinDataRate", "0"));
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<app@example.com>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<rcpt@example.org>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync("From: <app@example.com>\r\nTo: <rcpt@example.org>\r\n");

        time.Advance(TimeSpan.FromMinutes(2)); // past the session limit, within the data timeout (3 min)
        await client.SendAsync("Subject: slow\r\n\r\nbody\r\n");

        Assert.Contains("queued as", await client.CommandAsync("."));
        Assert.StartsWith("421 4.4.2 relay.test Session time limit reached", await client.CommandAsync("NOOP"));
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task An_idle_session_is_closed_at_the_session_time_limit_before_its_command_timeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, time, ("Relay:Smtp:SessionTimeout", "00:01:00"));
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);

        time.Advance(TimeSpan.FromSeconds(61));

        Assert.StartsWith("421 4.4.2 relay.test Session time limit reached", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task A_message_not_complete_within_the_longest_data_time_is_cut_with_421_4_4_2()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, time, ("Relay:Smtp:MaxDataTime", "00:05:00"), ("Relay:Smtp:DataTimeout", "00:10:00"), ("Relay:Smtp:MinDataRate", "0"));
        await using var client = await RawSmtpClient.GreetedAsync(relay.Port);
        await client.CommandAsync("MAIL FROM:<app@example.com>");
        await client.CommandAsync("RCPT TO:<rcpt@example.org>");
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        var reply = client.ReadReplyAsync();

        // A line a minute: never idle for long, but 6 minutes in all.
        for (var minute = 0; minute < 6 && !reply.IsCompleted; minute++)
        {
            await client.SendAsync($"X-Minute: {minute}\r\n");
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.StartsWith("421 4.4.2 relay.test Message not completed in time", await reply);
        Assert.True(await client.IsClosedAsync());
    }

    /// <summary>
    /// SmtpServer bounds the TLS handshake only by its session lifetime: a connection to the implicit-TLS port that
    /// never sends a ClientHello must still end, at the command timeout (2 s here).
    /// </summary>
    [Fact]
    public async Task A_client_that_never_starts_its_tls_handshake_is_closed_at_the_command_timeout()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, ("Relay:Smtp:CommandTimeout", "00:00:02"));
        await using var client = await RawSmtpClient.ConnectAsync(relay.ImplicitTlsPort);

        Assert.True(await client.IsClosedAsync());
        var closed = await relay.Logs.WaitForEventAsync(EventIds.Intake.SessionClosed, TimeSpan.FromSeconds(30));
        Assert.Contains("TLS handshake was not complete within the command timeout", closed.Text("Reply"));
    }
}
