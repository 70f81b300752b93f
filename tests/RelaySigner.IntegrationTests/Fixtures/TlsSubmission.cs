using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>MailKit over TLS (STARTTLS or implicit) with AUTH, trusting the relay's self-signed test certificate.</summary>
internal static class TlsSubmission
{
    /// <summary>A connected, optionally authenticated client; the caller disposes it.</summary>
    public static async Task<SmtpClient> ConnectAsync(int port, SecureSocketOptions security, string? user = null, string? password = null, SslProtocols protocols = SslProtocols.None)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var client = new SmtpClient
        {
            ServerCertificateValidationCallback = (_, _, _, _) => true,
            SslProtocols = protocols,
            CheckCertificateRevocation = false,
        };
        await client.ConnectAsync(socket, "localhost", port, security);
        if (user is not null)
        {
            await client.AuthenticateAsync(user, password ?? string.Empty);
        }

        return client;
    }

    /// <summary>Sends the exact bytes of a message; returns the relay's reply to DATA.</summary>
    public static async Task<string> SendAsync(SmtpClient client, string sender, IEnumerable<string> recipients, byte[] content)
    {
        using var stream = new MemoryStream(content, writable: false);
        var message = await MimeMessage.LoadAsync(stream);
        return await client.SendAsync(message, MailboxAddress.Parse(sender), recipients.Select(MailboxAddress.Parse));
    }
}
