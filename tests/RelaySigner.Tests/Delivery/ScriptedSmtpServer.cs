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

    /// <summary>Close the connection right after answering the final "." (a server that does not keep sessions).</summary>
    public bool CloseAfterTransaction { get; init; }

    /// <summary>Offer AUTH PLAIN once the session is TLS, and accept any credentials (recorded).</summary>
    public bool OfferAuth { get; init; }

    public string MailReply { get; init; } = "250 2.1.0 Ok";

    /// <summary>Reply to RCPT TO per address (without angle brackets).</summary>
    public Func<string, string> RcptReply { get; init; } = _ => "250 2.1.5 Ok";

    /// <summary>Reply after the final "."; null means close the connection without replying.</summary>
    public string? DataEndReply { get; init; } = "250 2.0.0 Ok: queued as SINK1";

    /// <summary>
    /// When set, the server has the whole message and waits for this task before it answers the final "." (a slow
    /// server); <see cref="ScriptedSmtpServer.DataReceived"/> tells the test it is waiting.
    /// </summary>
    public Task? HoldDataEndReply { get; init; }
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

    /// <summary>The decoded AUTH PLAIN response ("\0user\0password"), when the client authenticated.</summary>
    public string? AuthPlain { get; set; }

    /// <summary>False from MAIL FROM until the final "." (for <see cref="ScriptedSmtpServer.MaxConcurrentTransactions"/>).</summary>
    public bool TransactionEnded { get; set; } = true;
}

/// <summary>
/// A tiny SMTP server for tests, on 127.0.0.1 only: answers from a <see cref="SmtpScript"/>, records what it saw.
/// Handles pipelined commands (it answers in order) and STARTTLS.
/// </summary>
internal sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly Func<int, SmtpScript> _scriptForSession;
    private int _sessionCount;
    private int _open;
    private int _maxOpen;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SmtpSessionRecord> _completed = Channel.CreateUnbounded<SmtpSessionRecord>();
    private readonly Task _acceptLoop;
    private readonly List<Task> _sessions = [];

    public ScriptedSmtpServer(SmtpScript script)
        : this(_ => script)
    {
    }

    /// <param name="scriptForSession">The script of each session by its number (0 for the first connection), so a
    /// test can inject faults into some attempts only.</param>
    /// <param name="port">0 for any free port, or a given one (a server that comes up after being down).</param>
    public ScriptedSmtpServer(Func<int, SmtpScript> scriptForSession, int port = 0)
    {
        _scriptForSession = scriptForSession;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Connections accepted so far.</summary>
    public int SessionCount => Volatile.Read(ref _sessionCount);

    /// <summary>
    /// The most mail transactions in progress at the same time (from MAIL FROM until the server answers the final
    /// "."): counted where the client cannot have moved on yet, so it is exact.
    /// </summary>
    public int MaxConcurrentTransactions => Volatile.Read(ref _maxOpen);

    /// <summary>Receives each message body once the final "." is in, before the server answers it.</summary>
    public Channel<byte[]> DataReceived { get; } = Channel.CreateUnbounded<byte[]>();

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
            var script = _scriptForSession(Interlocked.Increment(ref _sessionCount) - 1);
            lock (_sessions)
            {
                _sessions.Add(Task.Run(() => RunSessionAsync(client, script)));
            }
        }
    }

    private async Task RunSessionAsync(TcpClient client, SmtpScript script)
    {
        var record = new SmtpSessionRecord();
        try
        {
            using (client)
            {
                await ServeAsync(client.GetStream(), script, record, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away or the test is over.
        }
        finally
        {
            if (record.MailFrom is not null && !record.TransactionEnded)
            {
                Interlocked.Decrement(ref _open);
            }

            _completed.Writer.TryWrite(record);
        }
    }

    private async Task ServeAsync(Stream stream, SmtpScript script, SmtpSessionRecord record, CancellationToken cancellationToken)
    {
        if (script.Greeting is null)
        {
            // Say nothing until the client gives up.
            var reader0 = new LineReader(stream);
            while (await reader0.ReadLineAsync(cancellationToken) is not null)
            {
            }

            return;
        }

        var reader = new LineReader(stream);
        await WriteAsync(stream, script.Greeting, cancellationToken);
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
                    var extensions = script.Extensions.ToList();
                    if ((script.TlsCertificate is not null || script.BreakTlsHandshake) && !record.Tls)
                    {
                        extensions.Add("STARTTLS");
                    }

                    if (script.OfferAuth && record.Tls)
                    {
                        extensions.Add("AUTH PLAIN");
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
                case "STARTTLS" when script.BreakTlsHandshake:
                    await WriteAsync(stream, "220 2.0.0 Ready to start TLS", cancellationToken);
                    await WriteAsync(stream, "this is not a TLS server hello", cancellationToken);
                    return;
                case "STARTTLS" when script.TlsCertificate is not null && !record.Tls:
                    await WriteAsync(stream, "220 2.0.0 Ready to start TLS", cancellationToken);
                    var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                    await ssl.AuthenticateAsServerAsync(
                        new SslServerAuthenticationOptions { ServerCertificate = script.TlsCertificate }, cancellationToken);
                    stream = ssl;
                    reader = new LineReader(ssl);
                    record.Tls = true;
                    break;
                case "AUTH":
                    var parts = line.Split(' ');
                    var response = parts.Length > 2 ? parts[2] : null;
                    if (response is null)
                    {
                        await WriteAsync(stream, "334 ", cancellationToken);
                        response = Encoding.ASCII.GetString(await reader.ReadLineAsync(cancellationToken) ?? []);
                    }

                    record.AuthPlain = Encoding.UTF8.GetString(Convert.FromBase64String(response));
                    await WriteAsync(stream, "235 2.7.0 Authentication successful", cancellationToken);
                    break;
                case "MAIL":
                    record.MailFrom = Address(line);
                    record.TransactionEnded = false;
                    var open = Interlocked.Increment(ref _open);
                    int max;
                    while (open > (max = Volatile.Read(ref _maxOpen)) && Interlocked.CompareExchange(ref _maxOpen, open, max) != max)
                    {
                    }

                    await WriteAsync(stream, script.MailReply, cancellationToken);
                    break;
                case "RCPT":
                    var address = Address(line);
                    record.RcptTo.Add(address);
                    var rcptReply = script.RcptReply(address);
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
                    DataReceived.Writer.TryWrite(record.Data);
                    if (script.HoldDataEndReply is { } hold)
                    {
                        await hold.WaitAsync(cancellationToken);
                    }

                    record.TransactionEnded = true;
                    Interlocked.Decrement(ref _open);
                    if (script.DataEndReply is null)
                    {
                        return; // Drop the connection after the final "." without a word.
                    }

                    await WriteAsync(stream, script.DataEndReply, cancellationToken);
                    accepted = 0;
                    if (script.CloseAfterTransaction)
                    {
                        return;
                    }

                    break;
                case "RSET":
                    accepted = 0;
                    if (!record.TransactionEnded)
                    {
                        record.TransactionEnded = true;
                        Interlocked.Decrement(ref _open);
                    }

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
