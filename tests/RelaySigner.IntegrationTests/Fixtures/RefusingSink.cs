using System.Buffers;
using System.Net;
using System.Threading.Channels;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// A receiving server on loopback that refuses one recipient for good (550 at RCPT) and takes every other message,
/// handing each over with its envelope: the failing destination whose reports come back to the same sink.
/// </summary>
internal sealed class RefusingSink : IAsyncDisposable
{
    private readonly Channel<(string Sender, IReadOnlyList<string> Recipients, byte[] Content)> _received = Channel.CreateUnbounded<(string, IReadOnlyList<string>, byte[])>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public RefusingSink(string refused)
    {
        Endpoint = FreePort.Reserve();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("refusing.sink")
            .Endpoint(e => e.Endpoint(Endpoint))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Filter(refused));
        services.Add(new Store(_received.Writer));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public IPEndPoint Endpoint { get; }

    public ChannelReader<(string Sender, IReadOnlyList<string> Recipients, byte[] Content)> Received => _received.Reader;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static string Address(IMailbox mailbox) => mailbox.User is null or "" ? "" : $"{mailbox.User}@{mailbox.Host}";

    private sealed class Filter(string refused) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
            Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!Address(to).Equals(refused, StringComparison.OrdinalIgnoreCase));
    }

    private sealed class Store(ChannelWriter<(string, IReadOnlyList<string>, byte[])> received) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            received.TryWrite((Address(transaction.From), [.. transaction.To.Select(Address)], buffer.ToArray()));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
