using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RelaySigner.Compliance;
using RelaySigner.Core.Feedback;
using RelaySigner.Delivery;
using RelaySigner.Signing.Alignment;

namespace RelaySigner.Cli;

/// <summary>
/// <c>relaysigner compliance check --domain D</c>: one PASS/WARN/FAIL line per rule of the bulk-sender requirements,
/// for the domain's mail as this relay sends it (its keys, addresses, EHLO name and settings). Exit 0, 1 when a rule
/// fails, 2 when DNS cannot answer or the command line is wrong.
/// </summary>
internal static class ComplianceCheckCommand
{
    private const int UsageOrDnsError = 2;

    public static Command Create()
    {
        var domain = new Option<string?>("--domain") { Description = "The From domain to check (required)" };
        var returnPath = new Option<string?>("--return-path-domain")
        {
            Description = "Domain of the envelope sender (MAIL FROM) the mail goes out with; default: the From domain",
        };
        var dnsServer = DnsServerOption.Create();
        var relayIps = RelaySources.CreateOption();
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts instead of lines" };
        var keysPath = KeysPathOption.Create();
        var command = new Command("check",
            "Check a domain against the bulk-sender rules: SPF, DKIM, DMARC, reverse DNS, TLS, unsubscribe, complaint and bounce rates. " +
            "Exit code 1 when a rule fails, 2 on a DNS or usage error.")
        {
            domain, returnPath, dnsServer, relayIps, json, keysPath,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (output, errors) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            if (parseResult.GetValue(domain) is not { Length: > 0 } fromDomain)
            {
                errors.WriteLine("error: --domain is required");
                return UsageOrDnsError;
            }

            var configuration = CliConfiguration.Load(parseResult).Configuration;
            if (!RelaySources.TryResolve(parseResult.GetValue(relayIps), configuration, errors, out var relayNetworks))
            {
                return UsageOrDnsError;
            }

            try
            {
                var name = Normalize(fromDomain);
                var delivery = configuration.GetSection(DeliveryOptions.SectionName).Get<DeliveryOptions>() ?? new DeliveryOptions();
                using var feedback = FeedbackRatesOf(parseResult);
                var setup = new ComplianceSetup(
                    name,
                    parseResult.GetValue(returnPath) is { Length: > 0 } given ? Normalize(given) : name,
                    relayNetworks,
                    SigningKeysOfDomain.Find(parseResult, KeysPathOption.Resolve(parseResult, keysPath), name),
                    delivery.EffectiveHeloName,
                    string.IsNullOrWhiteSpace(delivery.Smarthost) ? null : delivery.Smarthost.Trim(),
                    delivery.RequireTlsDomains,
                    configuration[ComplianceCheck.UnsubscribeBaseUrlKey],
                    feedback.Rates);
                var check = new ComplianceCheck(DnsServerOption.Resolve(parseResult, dnsServer), PublicSuffixList.Shipped.OrganizationalDomain,
                    TimeProvider.System);
                var results = await check.RunAsync(setup, cancellationToken).ConfigureAwait(false);
                output.WriteLine(CheckResultOutput.Format(results, parseResult.GetValue(json)));
                return CheckResultOutput.ExitCode(results);
            }
            catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or FormatException)
            {
                errors.WriteLine($"error: {ex.Message}");
                return UsageOrDnsError;
            }
        });
        return command;
    }

    private static string Normalize(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary>
    /// The relay's delivery and feedback counts, from the store the relay itself registers for them (in its queue's
    /// database), built from the same configuration; none when this build or configuration has no such store.
    /// </summary>
    private static FeedbackSource FeedbackRatesOf(ParseResult parseResult)
    {
        var host = RelayHost.CreateBuilder(["--Logging:LogLevel:Default=Warning", .. CliConfiguration.Overrides(parseResult)], CliConfiguration.Folder(parseResult))
            .Build();
        return new FeedbackSource(host, host.Services.GetService<IFeedbackRates>());
    }

    private sealed class FeedbackSource(IDisposable host, IFeedbackRates? rates) : IDisposable
    {
        public IFeedbackRates? Rates => rates;

        public void Dispose() => host.Dispose();
    }
}
