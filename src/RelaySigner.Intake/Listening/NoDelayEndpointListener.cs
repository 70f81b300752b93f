using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using RelaySigner.Intake.Session;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace RelaySigner.Intake.Listening;

/// <summary>
/// Accepts connections for one listener: NoDelay, connection caps, 421 while the relay stops (<see cref="IntakeDrain"/>),
/// and the session's guarded pipe.
/// </summary>
internal sealed class NoDelayEndpointListener(
    TcpListener listener,
    ConnectionLimiter limiter,
    IntakeDrain drain,
    SessionLimits limits,
    int maxBadCommands,
    TimeProvider time,
    ILogger logger,
    ServerCertificateSource? certificates = null) : IEndpointListener
{
    /// <summary>See <see cref="NoDelayEndpointListenerFactory.OffersAuth"/>.</summary>
    public bool OffersAuth { get; init; } = true;

    public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
    {
        while (true)
        {
            var socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            socket.NoDelay = true;
            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            var client = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
            if (drain.IsDraining)
            {
                IntakeLog.ConnectionRefusedStopping(logger, client.ToString());
                _ = RefuseAsync(socket, $"421 {IntakeDrain.ShuttingDown.Message}");
                continue;
            }

            if (limiter.TryAcquire(client) is not { } lease)
            {
                IntakeLog.ConnectionRefused(logger, client.ToString());
                _ = RefuseAsync(socket, $"421 4.7.0 {limits.ServerName} Too many connections, try again later");
                continue;
            }

            context.Properties[EndpointListener.LocalEndPointKey] = socket.LocalEndPoint!;
            context.Properties[EndpointListener.RemoteEndPointKey] = remote;
            var guard = new SessionGuard(context, maxBadCommands, time) { OffersAuth = OffersAuth };
            return new NetworkDuplexPipe(socket, guard, limits, time, drain.Track(guard, lease), certificates);
        }
    }

    public void Dispose() => listener.Stop();

    /// <summary>Off the accept loop, so a client that does not read cannot hold up the next one.</summary>
    private static async Task RefuseAsync(Socket socket, string replyLine)
    {
        using (socket)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                var reply = Encoding.ASCII.GetBytes(replyLine + "\r\n");
                await socket.SendAsync(reply, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                // The client left first.
            }
        }
    }
}
