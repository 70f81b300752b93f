using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// An SMTP client that sends exactly the bytes it is given, for malformed and hostile input MailKit would never
/// produce (bare LF, split end-of-data markers, pipelined STARTTLS injection). Loopback only.
/// </summary>
internal sealed class RawSmtpClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Socket _socket;
    private readonly List<byte> _pending = [];
    private Stream _stream;

    private RawSmtpClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<RawSmtpClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return new RawSmtpClient(socket);
    }

    /// <summary>Connects and reads the greeting.</summary>
    public static async Task<RawSmtpClient> GreetedAsync(int port, string ehlo = "client.test")
    {
        var client = await ConnectAsync(port);
        Assert.StartsWith("220", await client.ReadReplyAsync());
        if (ehlo.Length > 0)
        {
            Assert.StartsWith("250", await client.CommandAsync($"EHLO {ehlo}"));
        }

        return client;
    }

    /// <summary>
    /// One whole transaction with exact bytes: no MIME library in between to re-encode, re-fold or add a final CRLF;
    /// only the dot-stuffing of RFC 5321 §4.5.2.
    /// </summary>
    /// <returns>The relay's reply to the end of DATA, e.g. "250 2.0.0 Ok: queued as …" or "550 5.6.0 …".</returns>
    public static async Task<string> SendMessageAsync(int port, string sender, string recipient, byte[] content, bool smtpUtf8 = false)
    {
        await using var client = await GreetedAsync(port, "client.localhost");
        Assert.StartsWith("250", await client.CommandAsync($"MAIL FROM:<{sender}> BODY=8BITMIME{(smtpUtf8 ? " SMTPUTF8" : string.Empty)}"));
        Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(DotStuff(content));
        await client.SendAsync(content.AsSpan().EndsWith("\r\n"u8) ? ".\r\n" : "\r\n.\r\n");
        var reply = await client.ReadReplyAsync();
        await client.SendAsync("QUIT\r\n");
        return reply;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.ASCII.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends one command line (CRLF added) and returns the whole reply.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>A reply, all its lines joined with \n; empty when the server closed the connection.</summary>
    public async Task<string> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line)
        {
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                break;
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>True when the server closed the connection (after any replies still unread).</summary>
    public async Task<bool> IsClosedAsync()
    {
        while (true)
        {
            try
            {
                if (await ReadLineAsync() is null)
                {
                    return true;
                }
            }
            catch (IOException)
            {
                return true;
            }
        }
    }

    public async Task StartTlsAsync(SslProtocols protocols = SslProtocols.None)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = protocols }).WaitAsync(Patience);
        _stream = ssl;
        _pending.Clear();
    }

    /// <summary>Drops the connection with a TCP reset (RST), as a crashed client or a middlebox would.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(enable: true, seconds: 0);
        _socket.Close();
    }

    public SslProtocols TlsProtocol => (_stream as SslStream)?.SslProtocol ?? SslProtocols.None;

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    private async Task<string?> ReadLineAsync()
    {
        var buffer = new byte[4096];
        while (true)
        {
            var at = IndexOfCrLf();
            if (at >= 0)
            {
                var line = Encoding.ASCII.GetString([.. _pending.Take(at)]);
                _pending.RemoveRange(0, at + 2);
                return line;
            }

            var read = await _stream.ReadAsync(buffer).AsTask().WaitAsync(Patience);
            if (read == 0)
            {
                return null;
            }

            _pending.AddRange(buffer.AsSpan(0, read));
        }
    }

    private int IndexOfCrLf()
    {
        for (var i = 0; i + 1 < _pending.Count; i++)
        {
            if (_pending[i] == '\r' && _pending[i + 1] == '\n')
            {
                return i;
            }
        }

        return -1;
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
}
