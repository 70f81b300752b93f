using System.Net;
using SmtpServer;
using SmtpServer.Net;

namespace RelaySigner.Intake.Policy;

internal static class ClientAddress
{
    /// <summary>The client's IP as set by the listener (never from a PROXY line the client sent).</summary>
    public static IPAddress? Of(ISessionContext context)
    {
        if (context.Properties.TryGetValue(EndpointListener.RemoteEndPointKey, out var value) && value is IPEndPoint endpoint)
        {
            return endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        }

        return null;
    }
}
