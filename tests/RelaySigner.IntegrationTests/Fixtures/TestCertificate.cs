using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>A self-signed certificate for "localhost", made at test time and written as PEM files.</summary>
internal static class TestCertificate
{
    /// <returns>Paths of the certificate and key PEM files inside <paramref name="folder"/>.</returns>
    public static (string CertificatePath, string KeyPath) WritePem(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var certificatePath = Path.Combine(folder, "cert.pem");
        var keyPath = Path.Combine(folder, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
