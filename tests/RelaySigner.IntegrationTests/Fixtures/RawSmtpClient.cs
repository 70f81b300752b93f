using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// Hands the relay exact bytes over SMTP on loopback: no MIME library in between to re-encode, re-fold or add a
/// final CRLF. Does the dot-stuffing of RFC 5321 §4.5.2 and nothing else.
/// </summary>
internal static class RawSmtpClient
{
    /// <returns>The relay's reply to the end of DATA, e.g. "250 2.0.0 Ok: queued as …" or "550 5.6.0 …".</returns>
    public static async Task<string> SendAsync(int port, string sender, string recipient, byte[] content, bool smtpUtf8 = false)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);

        await ExpectAsync(reader, "220");
        await SendLineAsync(stream, "EHLO client.localhost");
        await ExpectAsync(reader, "250");
        await SendLineAsync(stream, $"MAIL FROM:<{sender}> BODY=8BITMIME{(smtpUtf8 ? " SMTPUTF8" : string.Empty)}");
        await ExpectAsync(reader, "250");
        await SendLineAsync(stream, $"RCPT TO:<{recipient}>");
        await ExpectAsync(reader, "250");
        await SendLineAsync(stream, "DATA");
        await ExpectAsync(reader, "354");
        await stream.WriteAsync(DotStuff(content));
        var endsWithCrLf = content.AsSpan().EndsWith("\r\n"u8);
        await stream.WriteAsync(endsWithCrLf ? ".\r\n"u8.ToArray() : "\r\n.\r\n"u8.ToArray());
        var reply = await ReadReplyAsync(reader);
        await SendLineAsync(stream, "QUIT");
        return reply;
    }

    private static byte[] DotStuff(byte[] content)
    {
        var stuffed = new MemoryStream(content.Length + 16);
        var lineStart = true;
        foreach (var b in content)
        {
            if (lineStart && b == (byte)'.')
            {
                stuffed.WriteByte((byte)'.');
            }

            stuffed.WriteByte(b);
            lineStart = b == (byte)'\n';
        }

        return stuffed.ToArray();
    }

    private static Task SendLineAsync(NetworkStream stream, string line) =>
        stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n")).AsTask();

    private static async Task ExpectAsync(StreamReader reader, string code)
    {
        var reply = await ReadReplyAsync(reader);
        if (!reply.StartsWith(code, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"expected {code}, got: {reply}");
        }
    }

    /// <summary>Reads one reply, joining the lines of a multi-line one ("250-…" … "250 …").</summary>
    private static async Task<string> ReadReplyAsync(StreamReader reader)
    {
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                break;
            }
        }

        return string.Join("\n", lines);
    }
}
