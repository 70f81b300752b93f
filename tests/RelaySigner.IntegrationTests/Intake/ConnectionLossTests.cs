using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>A client that goes away, or speaks no TLS, is one Information line: no warning, no stack trace.</summary>
public sealed class ConnectionLossTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_client_resetting_its_connection_is_one_information_line_without_a_stack_trace()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        await using (var client = await RawSmtpClient.GreetedAsync(relay.Port))
        {
            client.Reset();
        }

        var lost = await relay.Logs.WaitForEventAsync(EventIds.Intake.ConnectionLost, Patience);

        Assert.Equal(LogLevel.Information, lost.Level);
        Assert.Null(lost.Exception);
        Assert.Equal(("127.0.0.1", "ConnectionReset"), (lost["ClientAddress"], lost.Text("Reason")));
        await relay.Logs.WaitForEventAsync(EventIds.Intake.ConnectionClosed, Patience);
        Assert.DoesNotContain(relay.Logs.Entries, e => e.EventId == EventIds.Intake.SessionFaulted);
    }

    /// <summary>SmtpServer took the end of input for an empty password: the relay logged (and counted) a failed AUTH.</summary>
    [Fact]
    public async Task A_client_closing_in_the_middle_of_auth_is_a_lost_connection_not_a_failed_authentication()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint, null, IntakeRelay.User(0, "app", "example.com"));
        await using (var client = await RawSmtpClient.GreetedAsync(relay.Port))
        {
            await client.CommandAsync("STARTTLS");
            await client.StartTlsAsync();
            await client.CommandAsync("EHLO client.test");
            Assert.StartsWith("334", await client.CommandAsync("AUTH LOGIN"));
        }

        var lost = await relay.Logs.WaitForEventAsync(EventIds.Intake.ConnectionLost, Patience);

        Assert.Equal(("127.0.0.1", "closed during AUTH"), (lost["ClientAddress"], lost.Text("Reason")));
        await relay.Logs.WaitForEventAsync(EventIds.Intake.ConnectionClosed, Patience);
        Assert.DoesNotContain(relay.Logs.Entries, e => e.EventId is EventIds.Intake.SessionFaulted or EventIds.Intake.AuthFailed);
    }

    [Theory]
    [InlineData(false, EventIds.Intake.ConnectionLost, "closed during the TLS handshake")]
    [InlineData(true, EventIds.Intake.TlsHandshakeFailed, "Cannot determine the frame size or a corrupted frame was received.")]
    public async Task A_client_closing_or_speaking_plain_text_in_the_tls_handshake_is_one_information_line(bool plainText, int eventId, string reason)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(IPAddress.Loopback, relay.ImplicitTlsPort);
            // A ClientHello cut short, or an SMTP command where the ClientHello belongs.
            await socket.SendAsync(plainText ? "EHLO client.test\r\n"u8.ToArray() : [0x16, 0x03, 0x01, 0x00, 0x50, 0x01]);
            socket.Shutdown(SocketShutdown.Send);
            await relay.Logs.WaitForEventAsync(EventIds.Intake.ConnectionClosed, Patience);
        }

        var entry = Assert.Single(relay.Logs.Entries, e => e.EventId == eventId);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal(("127.0.0.1", reason), (entry["ClientAddress"], entry.Text("Reason")));
        Assert.DoesNotContain(relay.Logs.Entries, e => e.EventId == EventIds.Intake.SessionFaulted);
    }
}
