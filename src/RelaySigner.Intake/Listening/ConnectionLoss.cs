using System.Net.Sockets;

namespace RelaySigner.Intake.Listening;

/// <summary>Tells a connection the client reset or dropped from a real fault of a session.</summary>
internal static class ConnectionLoss
{
    /// <returns>
    /// Why the connection went away (the socket error, e.g. <c>ConnectionReset</c>, or when the client closed it)
    /// when <paramref name="exception"/> is the connection going away; otherwise null.
    /// </returns>
    public static string? Of(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is ClientClosedConnectionException closed)
            {
                return $"closed {closed.During}";
            }

            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.NetworkReset or SocketError.TimedOut } socket)
            {
                return socket.SocketErrorCode.ToString();
            }
        }

        return null;
    }
}
