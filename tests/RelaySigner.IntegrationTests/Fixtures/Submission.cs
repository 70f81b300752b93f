using System.Collections.Concurrent;
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

    /// <summary>
    /// From app@example.com to rcpt@example.org. True only when the relay answered the final "." with 250; a QUIT lost
    /// to a kill does not matter. Why it failed otherwise goes to <paramref name="failures"/>.
    /// </summary>
    public static async Task<bool> TrySendAsync(int port, byte[] content, ConcurrentQueue<string> failures)
    {
        using var stream = new MemoryStream(content, writable: false);
        var message = await MimeMessage.LoadAsync(stream);
        using var client = new SmtpClient();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            await client.ConnectAsync(socket, "127.0.0.1", port, SecureSocketOptions.None);
            await client.SendAsync(message, MailboxAddress.Parse("app@example.com"), [MailboxAddress.Parse("rcpt@example.org")]);
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpCommandException or SmtpProtocolException or OperationCanceledException)
        {
            failures.Enqueue(e.GetType().Name + ": " + e.Message);
            return false;
        }

        try
        {
            await client.DisconnectAsync(quit: true);
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException)
        {
        }

        return true;
    }

    /// <summary>The Subject of a message as it arrived (the tests give each message a distinct one).</summary>
    public static string SubjectOf(byte[] content)
    {
        var text = Encoding.ASCII.GetString(content);
        var start = text.IndexOf("\r\nSubject: ", StringComparison.Ordinal) + 11;
        return text[start..text.IndexOf("\r\n", start, StringComparison.Ordinal)];
    }
}
