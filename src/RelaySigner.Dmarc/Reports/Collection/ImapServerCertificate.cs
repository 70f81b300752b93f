using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RelaySigner.Dmarc.Reports.Collection;

/// <summary>
/// Checks the IMAP server's certificate against certificates given in a file instead of the system's CAs (a mailbox
/// on a private CA, or the test's throwaway server). Only the trust anchor changes: the host name must still match
/// and the chain must still build to one of the given certificates.
/// </summary>
internal static class ImapServerCertificate
{
    public static RemoteCertificateValidationCallback TrustOnly(string pemPath)
    {
        var anchors = new X509Certificate2Collection();
        anchors.ImportFromPemFile(pemPath);
        return (_, certificate, _, errors) =>
        {
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
            // A private CA publishes no revocation lists; the system's CAs (the default path) keep the revocation check.
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var presented = new X509Certificate2(certificate);
            return chain.Build(presented);
        };
    }
}
