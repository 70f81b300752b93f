using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using RelaySigner.Intake.Session;
using SmtpServer.IO;

namespace RelaySigner.Intake.Listening;

/// <summary>The session's byte pipe over a socket, upgraded in place by STARTTLS or implicit TLS.</summary>
internal sealed class NetworkDuplexPipe : ISecurableDuplexPipe
{
    private readonly Socket _socket;
    private readonly SessionGuard _guard;
    private readonly SessionLimits _limits;
    private readonly TimeProvider _time;
    private readonly IDisposable _connectionLease;
    private readonly ServerCertificateSource? _certificates;
    private Stream _stream;

    public NetworkDuplexPipe(Socket socket, SessionGuard guard, SessionLimits limits, TimeProvider time, IDisposable connectionLease, ServerCertificateSource? certificates = null)
    {
        _socket = socket;
        _guard = guard;
        _limits = limits;
        _time = time;
        _connectionLease = connectionLease;
        _certificates = certificates;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = CreateReader(_stream);
        Output = new ReplyWriter(_stream, guard, limits.CommandTimeout, time);
    }

    public PipeReader Input { get; private set; }

    public PipeWriter Output { get; private set; }

    public bool IsSecure => _stream is SslStream;

    public SslProtocols SslProtocol => (_stream as SslStream)?.SslProtocol ?? SslProtocols.None;

    public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        // SmtpServer bounds the handshake only by the session's lifetime, which is off: a client that opens a TLS
        // connection and says nothing would hold its slot for ever.
        using var handshakeTimeout = new CancellationTokenSource(_limits.CommandTimeout, _time);
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, handshakeTimeout.Token);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    // SmtpServer hands over the certificate it was built with; the source has the renewed one.
                    ServerCertificate = _certificates?.Current ?? certificate,
                    ClientCertificateRequired = false,
                    EnabledSslProtocols = protocols,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                },
                handshake.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (handshakeTimeout.IsCancellationRequested)
        {
            const string reason = "(none: the TLS handshake was not complete within the command timeout)";
            _guard.ClosedWith = reason;
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new SessionAbortedException(reason);
        }
        catch (IOException ex) when (ex.InnerException is null)
        {
            // SslStream's "unexpected EOF": the client closed the connection (a socket error would be the inner exception).
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new ClientClosedConnectionException("during the TLS handshake", ex);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // Fresh readers: bytes a client pipelined after STARTTLS in plaintext are dropped with the old reader,
        // so they can never be taken for commands of the protected session.
        _stream = ssl;
        Input = CreateReader(ssl);
        Output = new ReplyWriter(ssl, _guard, _limits.CommandTimeout, _time);
    }

    public void Dispose()
    {
        _stream.Dispose();
        _connectionLease.Dispose();
    }

    private SessionPipeReader CreateReader(Stream stream) => new(stream, _guard, _limits, _time, () => _socket.Available);
}
