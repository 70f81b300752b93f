using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RelaySigner.Intake;

/// <summary>
/// The trace header this relay prepends (RFC 5321 §4.4), built only from the session: client name and address,
/// this server, the protocol (RFC 3848: ESMTP, +S for TLS, +A for AUTH) and the time. Never anything from the
/// message (Subject, body) and never the AUTH user or the recipients, which would leak to every later hop.
/// </summary>
public static class ReceivedHeader
{
    public static byte[] Build(string? heloName, IPAddress? client, string serverName, bool usedEhlo, bool tls, bool authenticated, DateTimeOffset now)
    {
        var protocol = (usedEhlo ? "ESMTP" : "SMTP") + (tls ? "S" : string.Empty) + (authenticated ? "A" : string.Empty);
        var address = client switch
        {
            null => "unknown",
            { AddressFamily: AddressFamily.InterNetworkV6 } => "IPv6:" + client,
            _ => client.ToString(),
        };
        var date = now.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        return Encoding.ASCII.GetBytes(
            $"Received: from {Sanitize(heloName)} ([{address}])\r\n\tby {Sanitize(serverName)} (RelaySigner) with {protocol};\r\n\t{date}\r\n");
    }

    /// <summary>The HELO name is the client's to choose: keep only what a host name or address literal may contain.</summary>
    private static string Sanitize(string? name)
    {
        var kept = new string((name ?? string.Empty).Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']' or '_').Take(255).ToArray());
        return kept.Length == 0 ? "unknown" : kept;
    }
}
