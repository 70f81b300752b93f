namespace RelaySigner.Core.Queue;

/// <summary>The server whose answer decided an outcome, as the message's history keeps it.</summary>
/// <param name="Host">The host name of the MX or smarthost.</param>
/// <param name="Address">The IP address connected to.</param>
/// <param name="Tls">The negotiated TLS protocol (<c>Tls13</c>), or null when the session ran in clear.</param>
public sealed record RemoteServer(string Host, string Address, int Port, string? Tls)
{
    /// <summary>The form logs and the history show: <c>host[ip]:port</c>.</summary>
    public override string ToString() => $"{Host}[{Address}]:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
