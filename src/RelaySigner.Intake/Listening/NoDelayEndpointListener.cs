using System.Net.Sockets;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace RelaySigner.Intake.Listening;

internal sealed class NoDelayEndpointListener(TcpListener listener) : IEndpointListener
{
    public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
    {
        var socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
        socket.NoDelay = true;
        context.Properties[EndpointListener.LocalEndPointKey] = socket.LocalEndPoint!;
        context.Properties[EndpointListener.RemoteEndPointKey] = socket.RemoteEndPoint!;
        return new NetworkDuplexPipe(new NetworkStream(socket, ownsSocket: true));
    }

    public void Dispose() => listener.Stop();
}
