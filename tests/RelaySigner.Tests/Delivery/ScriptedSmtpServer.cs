using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;

namespace RelaySigner.Tests.Delivery;

/// <summary>What a <see cref="ScriptedSmtpServer"/> answers.</summary>
internal sealed class SmtpScript
{
    /// <summary>The greeting; null means never greet (the client must time out).</summary>
    public string? Greeting { get; init; } = "220 sink.test ESMTP scripted";

    public IReadOnlyList<string> Extensions { get; init; } = ["PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES"];

    /// <summary>When set, STARTTLS is offered and served with this certificate.</summary>
    public X509Certificate2? TlsCertificate { get; init; }

    /// <summary>Offer STARTTLS, answer 220, then send garbage instead of a TLS handshake.</summary>
    public bool BreakTlsHandshake { get; init; }

    public string MailReply { get; init; } = "250 2.1.0 Ok";

    /// <summary>Reply to RCPT TO per address (without angle brackets).</summary>
    public Func<string, string> RcptReply { get; init; } = _ => "250 2.1.5 Ok";

    /// <summary>Reply after the final "."; null means close the connection without replying.</summary>
    public string? DataEndReply { get; init; } = "250 2.0.0 Ok: queued as SINK1";
}

/// <summary>What one SMTP session saw.</summary>
internal sealed class SmtpSessionRecord
{
    public List<string> Commands { get; } = [];

    public string? MailFrom { get; set; }

    public List<string> RcptTo { get; } = [];

    public List<string> AcceptedRcptTo { get; } = [];

    /// <summary>The message as received after DATA: dot-unstuffed, CRLF kept, without the final ".".</summary>
    public byte[]? Data { get; set; }

    public bool Tls { get; set; }

    public bool Quit { get; set; }
}

/// <summary>
/// A tiny SMTP server for tests, on 127.0.0.1 only: answers from a <see cref="SmtpScript"/>, records what it saw.
/// Handles pipelined commands (it answers in order) and STARTTLS.
/// </summary>
internal sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly SmtpScript _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SmtpSessionRecord> _completed = Channel.CreateUnbounded<SmtpSessionRecord>();
    private readonly Task _acceptLoop;
    private readonly List<Task> _sessions = [];

    public ScriptedSmtpServer(SmtpScript script)
    {
        _script = script;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Set when a connection was accepted (used to know the client is waiting for us).</summary>
    public TaskCompletionSource Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The next session that has ended (QUIT, close by either side).</summary>
    public async Task<SmtpSessionRecord> NextSessionAsync() =>
        await _completed.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions).WaitAsync(Patience);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            client.NoDelay = true;
            Connected.TrySetResult();
            lock (_sessions)
            {
                _sessions.Add(Task.Run(() => RunSessionAsync(client)));
            }
        }
    }

    private async Task RunSessionAsync(TcpClient client)
    {
        var record = new SmtpSessionRecord();
        try
        {
            using (client)
            {
                await ServeAsync(client.GetStream(), record, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away or the test is over.
        }
        finally
        {
            _completed.Writer.TryWrite(record);
        }
    }

    private async Task ServeAsync(Stream stream, SmtpSessionRecord record, CancellationToken cancellationToken)
    {
        if (_script.Greeting is null)
        {
            // Say nothing until the client gives up.
            var reader0 = new LineReader(stream);
            while (await reader0.ReadLineAsync(cancellationToken) is not null)
            {
            }

            return;
        }

        var reader = new LineReader(stream);
        await WriteAsync(stream, _script.Greeting, cancellationToken);
        var accepted = 0;

        while (true)
        {
            var raw = await reader.ReadLineAsync(cancellationToken);
            if (raw is null)
            {
                return;
            }

            var line = Encoding.UTF8.GetString(raw);
            record.Commands.Add(line);
            var verb = (line.Split(' ', 2)[0]).ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    var extensions = _script.Extensions.ToList();
                    if ((_script.TlsCertificate is not null || _script.BreakTlsHandshake) && !record.Tls)
                    {
                        extensions.Add("STARTTLS");
                    }

                    var lines = new List<string> { "sink.test" };
                    lines.AddRange(extensions);
                    var reply = new StringBuilder();
                    for (var i = 0; i < lines.Count; i++)
                    {
                        reply.Append(i == lines.Count - 1 ? "250 " : "250-").Append(lines[i]);
                        if (i < lines.Count - 1)
                        {
                            reply.Append("\r\n");
                        }
                    }

                    await WriteAsync(stream, reply.ToString(), cancellationToken);
                    break;
                case "HELO":
                    await WriteAsync(stream, "250 sink.test", cancellationToken);
                    break;
                case "STARTTLS" when _script.BreakTlsHandshake:
                    await WriteAsync(stream, "220 2.0.0 Ready to start TLS", cancellationToken);
                    await WriteAsync(stream, "this is not a TLS server hello", cancellationToken);
                    return;
                case "STARTTLS" when _script.TlsCertificate is not null && !record.Tls:
                    await WriteAsync(stream, "220 2.0.0 Ready to start TLS", cancellationToken);
                    var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                    await ssl.AuthenticateAsServerAsync(
                        new SslServerAuthenticationOptions { ServerCertificate = _script.TlsCertificate }, cancellationToken);
                    stream = ssl;
                    reader = new LineReader(ssl);
                    record.Tls = true;
                    break;
                case "MAIL":
                    record.MailFrom = Address(line);
                    await WriteAsync(stream, _script.MailReply, cancellationToken);
                    break;
                case "RCPT":
                    var address = Address(line);
                    record.RcptTo.Add(address);
                    var rcptReply = _script.RcptReply(address);
                    if (rcptReply.StartsWith('2'))
                    {
                        record.AcceptedRcptTo.Add(address);
                        accepted++;
                    }

                    await WriteAsync(stream, rcptReply, cancellationToken);
                    break;
                case "DATA" when accepted == 0:
                    await WriteAsync(stream, "554 5.5.1 Error: no valid recipients", cancellationToken);
                    break;
                case "DATA":
                    await WriteAsync(stream, "354 End data with <CR><LF>.<CR><LF>", cancellationToken);
                    record.Data = await ReadDataAsync(reader, cancellationToken);
                    if (_script.DataEndReply is null)
                    {
                        return; // Drop the connection after the final "." without a word.
                    }

                    await WriteAsync(stream, _script.DataEndReply, cancellationToken);
                    accepted = 0;
                    break;
                case "RSET":
                    accepted = 0;
                    await WriteAsync(stream, "250 2.0.0 Ok", cancellationToken);
                    break;
                case "NOOP":
                    await WriteAsync(stream, "250 2.0.0 Ok", cancellationToken);
                    break;
                case "QUIT":
                    record.Quit = true;
                    await WriteAsync(stream, "221 2.0.0 Bye", cancellationToken);
                    return;
                default:
                    await WriteAsync(stream, "502 5.5.2 Error: command not recognized", cancellationToken);
                    break;
            }
        }
    }

    private static async Task<byte[]> ReadDataAsync(LineReader reader, CancellationToken cancellationToken)
    {
        using var data = new MemoryStream();
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken) ?? throw new IOException("EOF inside DATA");
            if (line is [(byte)'.'])
            {
                return data.ToArray();
            }

            var start = line.Length > 0 && line[0] == (byte)'.' ? 1 : 0;
            data.Write(line, start, line.Length - start);
            data.Write("\r\n"u8);
        }
    }

    private static string Address(string command)
    {
        var open = command.IndexOf('<');
        var close = command.IndexOf('>', open + 1);
        return open < 0 || close < 0 ? string.Empty : command[(open + 1)..close];
    }

    private static async Task WriteAsync(Stream stream, string reply, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(reply + "\r\n"), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Reads CRLF-terminated lines as raw bytes (without the CRLF).</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
        {
            using var line = new MemoryStream();
            while (true)
            {
                for (var i = _start; i < _end; i++)
                {
                    if (_buffer[i] == (byte)'\n' && (i > _start ? _buffer[i - 1] == (byte)'\r' : EndsWithCr(line)))
                    {
                        line.Write(_buffer, _start, i + 1 - _start);
                        _start = i + 1;
                        var bytes = line.ToArray();
                        return bytes[..^2];
                    }
                }

                line.Write(_buffer, _start, _end - _start);
                _start = _end = 0;
                var read = await stream.ReadAsync(_buffer, cancellationToken);
                if (read == 0)
                {
                    return null;
                }

                _end = read;
            }
        }

        private static bool EndsWithCr(MemoryStream line) =>
            line.Length > 0 && line.GetBuffer()[line.Length - 1] == (byte)'\r';
    }
}
