using System.Security.Cryptography.X509Certificates;

namespace RelaySigner.Intake;

/// <summary>Loads the server certificate from PEM files or a PFX file.</summary>
public static class ServerCertificate
{
    public static X509Certificate2? Load(TlsOptions tls)
    {
        if (!string.IsNullOrWhiteSpace(tls.PfxPath))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(tls.PfxPath, tls.PfxPassword);
        }

        if (string.IsNullOrWhiteSpace(tls.CertificatePath))
        {
            return null;
        }

        using var pem = X509Certificate2.CreateFromPemFile(tls.CertificatePath, tls.KeyPath);
        // SslStream on Windows refuses a PEM-loaded (ephemeral) key; re-importing through PKCS#12 works everywhere.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
