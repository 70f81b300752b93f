using System.Net;
using System.Net.Sockets;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// A TCP proxy on loopback in front of a server that counts the connections open through it at once, as a receiving
/// MX would count a sender's sessions. Each chunk from the server is held back a little, so sessions last long
/// enough to overlap when nothing stops them.
/// </summary>
internal sealed class SessionCountingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly TimeSpan _serverDelay;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _open;
    private int _maxOpen;
    private int _total;

    private SessionCountingProxy(IPEndPoint target, TimeSpan serverDelay)
    {
        _target = target;
        _serverDelay = serverDelay;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>The most connections that were open at once.</summary>
    public int MaxOpen => Volatile.Read(ref _maxOpen);

    public int Total => Volatile.Read(ref _total);

    public static SessionCountingProxy Start(IPEndPoint target, TimeSpan serverDelay) => new(target, serverDelay);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var open = Interlocked.Increment(ref _open);
        Interlocked.Increment(ref _total);
        int seen;
        while (open > (seen = Volatile.Read(ref _maxOpen)) && Interlocked.CompareExchange(ref _maxOpen, open, seen) != seen)
        {
        }

        using (client)
        using (var server = new TcpClient { NoDelay = true })
        {
            client.NoDelay = true;
            try
            {
                await server.ConnectAsync(_target, _stop.Token);
                var up = Copy(client.GetStream(), server.GetStream(), TimeSpan.Zero, server.Client);
                var down = Copy(server.GetStream(), client.GetStream(), _serverDelay, client.Client);
                await Task.WhenAll(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }
            finally
            {
                Interlocked.Decrement(ref _open);
            }
        }
    }

    /// <summary>Copies until the source closes, then closes the destination's sending side.</summary>
    private async Task Copy(Stream from, Stream to, TimeSpan delay, Socket toSocket)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _stop.Token);
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }

        toSocket.Shutdown(SocketShutdown.Send);
    }
}
