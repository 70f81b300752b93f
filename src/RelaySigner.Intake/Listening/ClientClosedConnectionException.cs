namespace RelaySigner.Intake.Listening;

/// <summary>The client closed its connection where the session still expected bytes from it (mid TLS handshake, mid AUTH).</summary>
public sealed class ClientClosedConnectionException(string during, Exception? inner = null)
    : IOException($"the client closed the connection {during}", inner)
{
    public string During { get; } = during;
}
