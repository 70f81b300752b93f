using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RelaySigner.Admin;
using RelaySigner.Core.Signing;
using RelaySigner.Delivery;
using RelaySigner.Dmarc.Checks;
using RelaySigner.Intake;
using RelaySigner.Queue;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Operations;

/// <summary>
/// What <c>relaysigner check</c> judges once the configuration is valid: listeners, delivery, queue folder, every key
/// (readable, not readable by others, not a demo key, published when DNS answers) and the certificate.
/// </summary>
public static class SetupCheck
{
    /// <param name="lookup">Checks each key's record in DNS; null skips DNS.</param>
    public static async Task<IReadOnlyList<CheckResult>> RunAsync(IServiceProvider services, DkimSelectorCheck? lookup, CancellationToken cancellationToken)
    {
        var smtp = services.GetRequiredService<IOptions<SmtpOptions>>().Value;
        var results = new List<CheckResult>();
        results.AddRange(RelaySummary.Listeners(smtp, services.GetRequiredService<IOptions<AdminOptions>>().Value).Select(l => new CheckResult("listener", CheckStatus.Pass, l)));
        results.Add(new("delivery", CheckStatus.Pass, RelaySummary.Delivery(services.GetRequiredService<IOptions<DeliveryOptions>>().Value)));
        var queue = services.GetRequiredService<IOptions<QueueOptions>>().Value.Path;
        results.Add(new("queue", CheckStatus.Pass, File.Exists(Path.Combine(queue, QueueOptions.DatabaseFileName)) ? queue : $"{queue} (created at the first start)"));
        results.AddRange(await KeysAsync(services, lookup, cancellationToken).ConfigureAwait(false));
        results.Add(Certificate(smtp.Tls, services.GetRequiredService<TimeProvider>().GetUtcNow()));
        return results;
    }

    private static async Task<List<CheckResult>> KeysAsync(IServiceProvider services, DkimSelectorCheck? lookup, CancellationToken cancellationToken)
    {
        DkimKeyStore store;
        try
        {
            store = services.GetRequiredService<DkimKeyStore>();
        }
        catch (InvalidOperationException ex)
        {
            return [new("keys", CheckStatus.Fail, ex.Message.ReplaceLineEndings("; "))];
        }

        var results = new List<CheckResult>();
        foreach (var key in store.SigningKeys)
        {
            var subject = $"key {key.Domain} s={key.Selector}";
            var described = $"{DkimDnsRecord.AlgorithmName(key.Algorithm)} {key.Bits} bits, {key.FilePath}";
            if (DemoKeys.IsDemo(key.PublicKey))
            {
                results.Add(new(subject, CheckStatus.Warn, $"{described}: a public demo key, anyone can sign as {key.Domain} with it; never for real mail"));
                continue;
            }

            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(key.FilePath) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                results.Add(new(subject, CheckStatus.Warn, $"{described}: readable by others than its owner; chmod 600 {key.FilePath}"));
            }

            results.Add(lookup is null
                ? new(subject, CheckStatus.Pass, $"{described}: readable (DNS not checked)")
                : Published(subject, described, await lookup.InspectAsync(key.Domain, key.Selector, key.PublicKey, cancellationToken).ConfigureAwait(false)));
        }

        if (results.Count == 0)
        {
            results.Add(new("keys", CheckStatus.Fail, $"no signing key in {store.KeysPath}: every message would be refused"));
        }

        results.AddRange(KeyFolder.PendingFiles(store.KeysPath).Select(p => new CheckResult($"key {p.Domain} s={p.Selector}", CheckStatus.Warn,
            $"pending ({p.Path}): publish its record, then relaysigner keys activate --domain {p.Domain} --selector {p.Selector}")));
        return results;
    }

    private static CheckResult Published(string subject, string described, PublishedKey published) => published.Verdict switch
    {
        PublishedKeyVerdict.Matches => new(subject, CheckStatus.Pass, $"{described}: readable, published"),
        PublishedKeyVerdict.LookupFailed => new(subject, CheckStatus.Warn, $"{described}: readable; DNS did not answer, publication not checked ({published.Detail})"),
        _ => new(subject, CheckStatus.Fail, $"{described}: {published.Detail}"),
    };

    private static CheckResult Certificate(TlsOptions tls, DateTimeOffset now)
    {
        try
        {
            var certificate = RelaySummary.Certificate(tls);
            var text = RelaySummary.DescribeCertificate(certificate, now);
            return certificate is not { } found ? new("certificate", CheckStatus.Pass, "none (no TLS listener)")
                : found.NotAfter <= now ? new("certificate", CheckStatus.Fail, $"{text}: expired")
                : found.NotAfter - now < RelaySummary.CertificateWarning ? new("certificate", CheckStatus.Warn, $"{text}: renew it")
                : new("certificate", CheckStatus.Pass, text);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            return new("certificate", CheckStatus.Fail, $"{tls.CertificatePath ?? tls.PfxPath}: {ex.Message}");
        }
    }
}
