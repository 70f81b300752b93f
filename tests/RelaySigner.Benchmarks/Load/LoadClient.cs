using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RelaySigner.Benchmarks.Load;

/// <summary>
/// A lean SMTP client for load, like Postfix's smtp-source: MAIL, RCPT and DATA pipelined (RFC 2920), then the
/// body, timing each message from its final "." to the 250. Hand-written because MailKit's per-message work
/// would make the load generator, not the relay, the thing measured (shared notes §2: MailKit tops out near
/// 1,400 msg/s on this machine).
/// </summary>
internal sealed class LoadClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private LoadClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, Encoding.ASCII);
    }

    public static async Task<LoadClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var client = new LoadClient(socket);
        await client.ExpectAsync("220");
        await client.WriteAsync("EHLO load.localhost\r\n"u8.ToArray());
        await client.ExpectAsync("250");
        return client;
    }

    /// <summary>Sends one message; returns the time from the end of DATA to the 250.</summary>
    public async Task<TimeSpan> SendAsync(byte[] envelopeCommands, byte[] dotStuffedBodyWithTerminator)
    {
        await WriteAsync(envelopeCommands);
        await ExpectAsync("250");
        await ExpectAsync("250");
        await ExpectAsync("354");
        await WriteAsync(dotStuffedBodyWithTerminator);
        var started = Stopwatch.GetTimestamp();
        await ExpectAsync("250");
        return Stopwatch.GetElapsedTime(started);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await WriteAsync("QUIT\r\n"u8.ToArray());
            await ExpectAsync("221");
        }
        catch (IOException)
        {
            // The server closed first: nothing left to say.
        }

        _reader.Dispose();
        _socket.Dispose();
    }

    private async Task WriteAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    private async Task ExpectAsync(string code)
    {
        string? line;
        do
        {
            line = await _reader.ReadLineAsync() ?? throw new IOException($"connection closed while waiting for {code}");
        }
        while (line.Length > 3 && line[3] == '-');

        if (!line.StartsWith(code, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"expected {code}, got: {line}");
        }
    }
}
