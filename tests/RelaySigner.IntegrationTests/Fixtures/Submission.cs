using System.Net;
using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>Hands messages to the relay the way an application does: MailKit's SmtpClient on loopback.</summary>
internal static class Submission
{
    public static byte[] Message(string from, string to, string subject = "integration test", string body = "Hello,\r\n\r\nthis line  has   spaces \r\n.leading dot\r\n") =>
        Encoding.UTF8.GetBytes(
            $"From: Sender <{from}>\r\nTo: <{to}>\r\nSubject: {subject}\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n" +
            $"Message-ID: <{Guid.NewGuid():N}@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n{body}");

    /// <summary>Sends the exact bytes of a message; returns the relay's reply to DATA.</summary>
    public static async Task<string> SendAsync(int port, string sender, IEnumerable<string> recipients, byte[] content)
    {
        using var stream = new MemoryStream(content, writable: false);
        var message = await MimeMessage.LoadAsync(stream);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        using var client = new SmtpClient();
        await client.ConnectAsync(socket, "127.0.0.1", port, SecureSocketOptions.None);
        var reply = await client.SendAsync(message, MailboxAddress.Parse(sender), recipients.Select(MailboxAddress.Parse));
        await client.DisconnectAsync(quit: true);
        return reply;
    }
}
