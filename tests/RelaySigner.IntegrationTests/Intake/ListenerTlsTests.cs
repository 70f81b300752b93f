using System.Net;
using System.Security.Authentication;
using MailKit.Security;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>
/// Every listener speaks TLS 1.2 and 1.3: SmtpServer's endpoints offer TLS 1.2 only unless told otherwise, and clients
/// that still stop at 1.2 must not be turned away.
/// </summary>
public sealed class ListenerTlsTests
{
    public enum Listener
    {
        RelayStartTls,
        SubmissionStartTls,
        ImplicitTls,
    }

    [Theory]
    [InlineData(Listener.RelayStartTls, SslProtocols.Tls12)]
    [InlineData(Listener.RelayStartTls, SslProtocols.Tls13)]
    [InlineData(Listener.SubmissionStartTls, SslProtocols.Tls12)]
    [InlineData(Listener.SubmissionStartTls, SslProtocols.Tls13)]
    [InlineData(Listener.ImplicitTls, SslProtocols.Tls12)]
    [InlineData(Listener.ImplicitTls, SslProtocols.Tls13)]
    public async Task A_client_offering_only_one_tls_version_gets_that_version(Listener listener, SslProtocols protocol)
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await IntakeRelay.StartAsync(sink.Endpoint);
        var (port, security) = listener switch
        {
            Listener.RelayStartTls => (relay.Port, SecureSocketOptions.StartTls),
            Listener.SubmissionStartTls => (relay.SubmissionPort, SecureSocketOptions.StartTls),
            _ => (relay.ImplicitTlsPort, SecureSocketOptions.SslOnConnect),
        };

        using var client = await TlsSubmission.ConnectAsync(port, security, protocols: protocol);

        Assert.True(client.IsSecure);
        Assert.Equal(protocol, client.SslProtocol);
        await client.NoOpAsync();
    }
}
