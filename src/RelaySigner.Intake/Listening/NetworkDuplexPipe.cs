using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer.IO;

namespace RelaySigner.Intake.Listening;

/// <summary>The session's byte pipe over a socket stream, upgraded in place by STARTTLS or implicit TLS.</summary>
internal sealed class NetworkDuplexPipe(Stream stream) : ISecurableDuplexPipe
{
    private Stream _stream = stream;

    public PipeReader Input { get; private set; } = PipeReader.Create(stream);

    public PipeWriter Output { get; private set; } = PipeWriter.Create(stream);

    public bool IsSecure => _stream is SslStream;

    public SslProtocols SslProtocol => (_stream as SslStream)?.SslProtocol ?? SslProtocols.None;

    public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateRequired = false,
                    EnabledSslProtocols = protocols,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // Fresh readers: bytes a client pipelined after STARTTLS in plaintext are dropped with the old reader,
        // so they can never be taken for commands of the protected session.
        _stream = ssl;
        Input = PipeReader.Create(ssl);
        Output = PipeWriter.Create(ssl);
    }

    public void Dispose() => _stream.Dispose();
}
