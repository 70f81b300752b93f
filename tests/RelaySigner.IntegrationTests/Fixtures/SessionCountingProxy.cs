using System.Net;
using System.Net.Sockets;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// A TCP proxy on loopback in front of a server that counts the SMTP sessions open through it at once, as a receiving
/// MX would count a sender's sessions. Each chunk from the server is held back a little, so sessions last long
/// enough to overlap when nothing stops them.
/// </summary>
/// <remarks>
/// A session ends when the client's QUIT passes through (or the connection closes without one). Counting up to the
/// close instead would measure this proxy's own scheduling: on a loaded machine its continuation that sees the close
/// can run after it accepted the next connection. The client can only end its session once the QUIT reached the
/// server and was answered, so a session counted as ended here really has.
/// </remarks>
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

        var ended = 0;
        void End()
        {
            if (Interlocked.Exchange(ref ended, 1) == 0)
            {
                Interlocked.Decrement(ref _open);
            }
        }

        using (client)
        using (var server = new TcpClient { NoDelay = true })
        {
            client.NoDelay = true;
            try
            {
                await server.ConnectAsync(_target, _stop.Token);
                var up = Copy(client.GetStream(), server.GetStream(), TimeSpan.Zero, server.Client, onQuit: End);
                var down = Copy(server.GetStream(), client.GetStream(), _serverDelay, client.Client, onQuit: null);
                await Task.WhenAll(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }
            finally
            {
                End();
            }
        }
    }

    /// <summary>Copies until the source closes, then closes the destination's sending side.</summary>
    /// <param name="onQuit">Called before a chunk that starts with the QUIT command is passed on.</param>
    private async Task Copy(Stream from, Stream to, TimeSpan delay, Socket toSocket, Action? onQuit)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (onQuit is not null && buffer.AsSpan(0, read).StartsWith("QUIT\r\n"u8))
            {
                onQuit();
            }

            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _stop.Token);
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }

        toSocket.Shutdown(SocketShutdown.Send);
    }
}
