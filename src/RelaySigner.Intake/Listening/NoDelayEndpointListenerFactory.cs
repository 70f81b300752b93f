using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SmtpServer;
using SmtpServer.Net;

namespace RelaySigner.Intake.Listening;

/// <summary>
/// Replaces SmtpServer's listener, which leaves Nagle's algorithm on (with it each reply waits for the client's
/// delayed ACK and one connection manages about 20 messages/s, measured on loopback with SmtpServer 11.1), has no connection
/// caps and reads with a pipe whose segment layout can hide the end-of-data marker (see <see cref="SessionPipeReader"/>).
/// </summary>
public sealed class NoDelayEndpointListenerFactory(
    BoundEndpoints bound,
    ConnectionLimiter limiter,
    IntakeDrain drain,
    IOptions<SmtpOptions> options,
    TimeProvider time,
    ILogger<NoDelayEndpointListenerFactory> logger,
    ServerCertificateSource? certificates = null) : IEndpointListenerFactory
{
    /// <summary>With the default limits, for servers outside the relay's host (the test sink).</summary>
    public NoDelayEndpointListenerFactory(BoundEndpoints bound)
        : this(bound, new ConnectionLimiter(Options.Create(new SmtpOptions()), NullLogger<ConnectionLimiter>.Instance), new IntakeDrain(), Options.Create(new SmtpOptions()), TimeProvider.System, NullLogger<NoDelayEndpointListenerFactory>.Instance)
    {
    }

    /// <summary>The kind its listeners are recorded as in <see cref="BoundEndpoints"/>; default: from the endpoint's settings.</summary>
    public ListenerKind? Kind { get; init; }

    /// <summary>False for a listener where AUTH is never offered (the inbound listener): AUTH gets 502 5.5.1.</summary>
    public bool OffersAuth { get; init; } = true;

    public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        var smtp = options.Value;
        var limits = SessionLimits.From(smtp);
        var listener = new TcpListener(endpointDefinition.Endpoint);
        try
        {
            listener.Start(backlog: 1024);
        }
        catch (SocketException e)
        {
            // The socket's own message ("Address already in use") does not say which listener: name it.
            throw new IOException($"SMTP listener {endpointDefinition.Endpoint}: {e.Message}", e);
        }

        bound.Add(Kind ?? endpointDefinition.KindOf(), (IPEndPoint)listener.LocalEndpoint);
        return new NoDelayEndpointListener(listener, limiter, drain, limits, smtp.MaxBadCommands, time, logger, certificates) { OffersAuth = OffersAuth };
    }
}
