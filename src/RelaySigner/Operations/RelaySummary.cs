using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using RelaySigner.Admin;
using RelaySigner.Delivery;
using RelaySigner.Intake;

namespace RelaySigner.Operations;

/// <summary>How the relay is set up, in words an operator checks at a glance: what <c>check</c> prints and the start logs.</summary>
public static class RelaySummary
{
    /// <summary>A certificate closer than this to its end is reported (Let's Encrypt renews at 30 days left).</summary>
    public static readonly TimeSpan CertificateWarning = TimeSpan.FromDays(14);

    public static IReadOnlyList<string> Listeners(SmtpOptions smtp, AdminOptions admin)
    {
        var tls = smtp.Tls.IsConfigured;
        var listeners = new List<string> { $"smtp {Endpoint(smtp.Address, smtp.Port)}{(tls ? " (STARTTLS)" : string.Empty)}" };
        if (smtp.SubmissionPort is { } submission)
        {
            listeners.Add($"submission {Endpoint(smtp.Address, submission)} (STARTTLS, AUTH)");
        }

        if (smtp.ImplicitTlsPort is { } implicitTls)
        {
            listeners.Add($"implicit-tls {Endpoint(smtp.Address, implicitTls)} (TLS, AUTH)");
        }

        listeners.AddRange(admin.UrlList.Select(url => $"admin {url}"));
        return listeners;
    }

    public static string Delivery(DeliveryOptions delivery) =>
        !string.IsNullOrWhiteSpace(delivery.Smarthost)
            ? $"smarthost {delivery.Smarthost}{(string.IsNullOrEmpty(delivery.SmarthostUser) ? string.Empty : " with AUTH")}"
            : $"MX on port {delivery.MxPort} (resolver {(string.IsNullOrWhiteSpace(delivery.DnsServer) ? "of the system" : delivery.DnsServer)}), EHLO {delivery.EffectiveHeloName}";

    /// <summary>The certificate's subject and end of validity, or null without TLS.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The files do not hold a certificate and key.</exception>
    public static (string Subject, DateTimeOffset NotAfter)? Certificate(TlsOptions tls)
    {
        using var certificate = ServerCertificate.Load(tls);
        return certificate is null ? null : (certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false), new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
    }

    public static string DescribeCertificate((string Subject, DateTimeOffset NotAfter)? certificate, DateTimeOffset now) =>
        certificate is not { } found ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"{found.Subject} until {found.NotAfter:yyyy-MM-dd} ({(int)Math.Floor((found.NotAfter - now).TotalDays)} days)");

    private static string Endpoint(string address, int port) => address.Contains(':', StringComparison.Ordinal) ? $"[{address}]:{port}" : $"{address}:{port}";
}
