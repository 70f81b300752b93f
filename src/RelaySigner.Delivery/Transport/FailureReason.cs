using System.Net.Sockets;

namespace RelaySigner.Delivery.Transport;

/// <summary>Turns an exception into a reason fit for a log line or a synthesized reply.</summary>
internal static class FailureReason
{
    /// <summary>A one-line reason for logs and replies: the innermost useful message, without stack or paragraphs.</summary>
    public static string Of(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException)
            {
                return inner.Message;
            }
        }

        var socket = e as SocketException ?? e.InnerException as SocketException;
        var message = socket is not null ? $"{socket.Message} ({socket.SocketErrorCode})" : e.Message;
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length <= 200 ? line : line[..200];
    }
}
