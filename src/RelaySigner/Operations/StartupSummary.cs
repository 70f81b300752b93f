using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Admin;
using RelaySigner.Delivery;
using RelaySigner.Intake;
using RelaySigner.Queue;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Operations;

/// <summary>
/// At start, one line with what <c>relaysigner check</c> shows (configuration folder, listeners, delivery mode, queue,
/// keys, certificate), then a warning for each public demo key it signs with (again after every key reload, for as
/// long as one is in the folder) and for a certificate about to expire.
/// </summary>
public sealed class StartupSummary(
    IHostEnvironment environment,
    IOptions<SmtpOptions> smtp,
    IOptions<AdminOptions> admin,
    IOptions<DeliveryOptions> delivery,
    IOptions<QueueOptions> queue,
    DkimKeyStore keys,
    TimeProvider time,
    ILogger<StartupSummary> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var certificate = RelaySummary.Certificate(smtp.Value.Tls);
        var now = time.GetUtcNow();
        var keyList = keys.SigningKeys.ToList();
        var version = typeof(StartupSummary).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        OperationsLog.Started(logger, version, environment.ContentRootPath, environment.EnvironmentName,
            string.Join(", ", RelaySummary.Listeners(smtp.Value, admin.Value)), RelaySummary.Delivery(delivery.Value), queue.Value.Path,
            $"{keyList.Count} for {keyList.Select(k => k.Domain).Distinct().Count()} domains in {keys.KeysPath}",
            RelaySummary.DescribeCertificate(certificate, now));
        if (certificate is { } found && found.NotAfter - now < RelaySummary.CertificateWarning)
        {
            OperationsLog.CertificateExpiring(logger, found.Subject, found.NotAfter, (int)Math.Floor((found.NotAfter - now).TotalDays));
        }

        WarnAboutDemoKeys(this, EventArgs.Empty);
        keys.Reloaded += WarnAboutDemoKeys;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        keys.Reloaded -= WarnAboutDemoKeys;
        return Task.CompletedTask;
    }

    private void WarnAboutDemoKeys(object? sender, EventArgs e)
    {
        foreach (var key in keys.SigningKeys.Where(k => DemoKeys.IsDemo(k.PublicKey)))
        {
            OperationsLog.SigningWithDemoKey(logger, key.Domain, key.Selector, key.FilePath);
        }
    }
}
