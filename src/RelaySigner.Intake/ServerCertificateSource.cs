using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RelaySigner.Intake;

/// <summary>
/// The server certificate of every TLS handshake, re-read when its files change: a renewed certificate (certbot
/// every 60-90 days) is used from the next handshake on, without a restart that would cut sessions in DATA. Each
/// handshake compares the files' modification times (two stat calls); a renewal caught half-written, or files that
/// no longer load, keep the previous certificate and are tried again at the next handshake.
/// </summary>
public sealed class ServerCertificateSource(IOptions<SmtpOptions> options, ILogger<ServerCertificateSource> logger)
{
    private readonly Lock _reloading = new();
    private (DateTime Certificate, DateTime Key) _loadedStamp;
    private X509Certificate2? _current;
    private bool _loaded;

    /// <summary>The certificate to present now; null when no TLS is configured.</summary>
    /// <exception cref="CryptographicException">At the first call, the files do not hold a certificate and its key.</exception>
    public X509Certificate2? Current
    {
        get
        {
            var tls = options.Value.Tls;
            if (!tls.IsConfigured)
            {
                return null;
            }

            var stamp = Stamp(tls);
            lock (_reloading)
            {
                if (_loaded && stamp == _loadedStamp)
                {
                    return _current;
                }

                try
                {
                    _current = ServerCertificate.Load(tls);
                    _loadedStamp = stamp;
                    if (_loaded)
                    {
                        IntakeLog.CertificateReloaded(logger, _current!.Subject, _current.NotAfter.ToUniversalTime());
                    }

                    _loaded = true;
                }
                catch (Exception ex) when (_loaded && ex is CryptographicException or IOException or UnauthorizedAccessException)
                {
                    IntakeLog.CertificateReloadFailed(logger, tls.CertificatePath ?? tls.PfxPath ?? string.Empty, ex.Message);
                }

                return _current;
            }
        }
    }

    private static (DateTime, DateTime) Stamp(TlsOptions tls) =>
        string.IsNullOrWhiteSpace(tls.PfxPath)
            ? (File.GetLastWriteTimeUtc(tls.CertificatePath!), string.IsNullOrWhiteSpace(tls.KeyPath) ? default : File.GetLastWriteTimeUtc(tls.KeyPath))
            : (File.GetLastWriteTimeUtc(tls.PfxPath), default);
}
