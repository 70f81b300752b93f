using System.Net;
using System.Net.Sockets;

namespace RelaySigner.IntegrationTests.Fixtures;

internal static class FreePort
{
    /// <summary>A loopback endpoint nothing listens on (yet): a smarthost that refuses connections.</summary>
    public static IPEndPoint Reserve()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();
        return endpoint;
    }
}
