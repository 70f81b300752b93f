using System.Buffers;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RelaySigner.Intake;
using RelaySigner.Intake.Listening;
using RelaySigner.Intake.Policy;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace RelaySigner.Tools;

/// <summary>
/// A receiving SMTP server that accepts every message and keeps it in memory: the far end for demos
/// (<c>relaysigner sink</c>) and for the integration tests. Bind it to loopback.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Channel<ReceivedMessage> _received = Channel.CreateUnbounded<ReceivedMessage>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private SmtpSink(IPEndPoint requested, int maxMessageSize)
    {
        var bound = new BoundEndpoints();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("sink.localhost")
            .Endpoint(e => e.Endpoint(requested).SessionTimeout(TimeSpan.FromHours(1)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new SinkStore(_received.Writer));
        services.Add(new RefusingUserAuthenticator());
        var limits = Options.Create(new SmtpOptions { MaxMessageSize = maxMessageSize });
        services.Add(new NoDelayEndpointListenerFactory(bound, new ConnectionLimiter(limits, NullLogger<ConnectionLimiter>.Instance),
            new IntakeDrain(), limits, TimeProvider.System, NullLogger<NoDelayEndpointListenerFactory>.Instance));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
        // The listener is created synchronously inside StartAsync: a port in use has already faulted the task.
        if (_running.IsFaulted)
        {
            _running.GetAwaiter().GetResult();
        }

        Endpoint = bound.All.Single();
    }

    /// <summary>Where the sink listens (the real port when started on port 0).</summary>
    public IPEndPoint Endpoint { get; }

    public ChannelReader<ReceivedMessage> Received => _received.Reader;

    /// <exception cref="IOException">The endpoint cannot be bound (e.g. the port is in use); the message names it.</exception>
    /// <param name="maxMessageSize">Largest message taken, in bytes; the relay's default unless given (the memory benchmark sends more).</param>
    public static SmtpSink Start(IPEndPoint endpoint, int? maxMessageSize = null) =>
        new(endpoint, maxMessageSize ?? new SmtpOptions().MaxMessageSize);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private sealed class SinkStore(ChannelWriter<ReceivedMessage> writer) : IMessageStore
    {
        public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            // SmtpServer strips the CRLF that ends the last line; the sender sent it.
            var content = new byte[buffer.Length + 2];
            buffer.CopyTo(content);
            "\r\n"u8.CopyTo(content.AsSpan(content.Length - 2));
            var message = new ReceivedMessage(transaction.From.AsAddress(), [.. transaction.To.Select(t => t.AsAddress())], content);
            await writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            return SmtpResponse.Ok;
        }
    }
}
