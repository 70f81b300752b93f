using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RelaySigner.Core.Telemetry;
using RelaySigner.Intake.Listening;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Intake;

/// <summary>A renewed certificate is presented from the next handshake on, without restarting the relay.</summary>
public sealed class CertificateRenewalTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Rewritten_certificate_files_are_used_by_the_next_starttls_without_a_restart()
    {
        var (certificatePath, keyPath) = TestCertificate.WritePem(_folder.Path);
        var (host, logs) = await TestRelayHost.StartAsync(Path.Combine(_folder.Path, "queue"), new IPEndPoint(IPAddress.Loopback, 9),
            ["--Relay:Smtp:SubmissionPort=0", $"--Relay:Smtp:Tls:CertificatePath={certificatePath}", $"--Relay:Smtp:Tls:KeyPath={keyPath}"], [], LogLevel.Information);
        using (host)
        {
            var port = host.Services.GetRequiredService<BoundEndpoints>().Of(ListenerKind.Submission).Port;
            var before = await PresentedAsync(port);

            TestCertificate.WritePem(_folder.Path); // what a renewal hook does: new files in the same place
            File.SetLastWriteTimeUtc(certificatePath, DateTime.UtcNow.AddMinutes(1));
            var after = await PresentedAsync(port);

            using var renewed = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
            Assert.Equal(renewed.Thumbprint, after.Thumbprint);
            Assert.NotEqual(before.Thumbprint, after.Thumbprint);
            await logs.WaitForEventAsync(EventIds.Intake.CertificateReloaded, TimeSpan.FromSeconds(10));
            await host.StopAsync();
        }
    }

    public void Dispose() => _folder.Dispose();

    private static async Task<X509Certificate2> PresentedAsync(int port)
    {
        X509Certificate2? presented = null;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        using var client = new SmtpClient
        {
            CheckCertificateRevocation = false,
            ServerCertificateValidationCallback = (_, certificate, _, _) =>
            {
                presented = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
                return true;
            },
        };
        await client.ConnectAsync(socket, "localhost", port, SecureSocketOptions.StartTls);
        await client.DisconnectAsync(quit: true);
        return presented!;
    }
}
