using System.Net;
using System.Net.Sockets;
using SmtpServer;
using SmtpServer.Net;

namespace RelaySigner.Intake.Listening;

/// <summary>
/// Replaces SmtpServer's listener, which leaves Nagle's algorithm on: with it each reply waits for the client's
/// delayed ACK and one connection manages about 20 messages/s (measured in shared/notes/libraries.md §2).
/// </summary>
public sealed class NoDelayEndpointListenerFactory(BoundEndpoints bound) : IEndpointListenerFactory
{
    public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        var listener = new TcpListener(endpointDefinition.Endpoint);
        listener.Start();
        bound.Add((IPEndPoint)listener.LocalEndpoint);
        return new NoDelayEndpointListener(listener);
    }
}
