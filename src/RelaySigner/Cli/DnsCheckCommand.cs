using System.CommandLine;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Org.BouncyCastle.Crypto;
using RelaySigner.Dmarc.Checks;
using RelaySigner.Signing.Alignment;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner dns check --domain D</c>: is what the domain publishes what the relay needs?</summary>
internal static class DnsCheckCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var domain = new Option<string>("--domain") { Description = "The From domain to check", Required = true };
        var dnsServer = DnsServerOption.Create();
        var relayIps = new Option<string[]>("--relay-ip")
        {
            Description = "The relay's outbound address that SPF must authorise; repeatable (default Relay:Delivery:SourceAddresses)",
            AllowMultipleArgumentsPerToken = true,
        };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts instead of a table" };
        var keysPath = KeysPathOption.Create();
        var command = new Command("check", "Check the DKIM keys, SPF and DMARC records a domain publishes. Exit code 1 when a check fails.")
        {
            domain, dnsServer, relayIps, json, keysPath,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (configuration, _) = CliConfiguration.Load(parseResult);
            var name = parseResult.GetValue(domain)!.TrimEnd('.').ToLowerInvariant();
            var addresses = parseResult.GetValue(relayIps) is { Length: > 0 } given
                ? given
                : configuration.GetSection("Relay:Delivery:SourceAddresses").Get<string[]>() ?? [];
            if (addresses.FirstOrDefault(a => !IPAddress.TryParse(a, out _)) is { } bad)
            {
                Console.Error.WriteLine($"error: '{bad}' is not an IP address");
                return 2;
            }

            IReadOnlyList<CheckResult> results;
            try
            {
                var check = new DomainDnsCheck(DnsServerOption.Resolve(parseResult, dnsServer), PublicSuffixList.Shipped.OrganizationalDomain);
                var signing = SigningKeysOfDomain.Find(parseResult, KeysPathOption.Resolve(parseResult, keysPath), name);
                List<(string, AsymmetricKeyParameter)> selectors = [.. (signing?.Keys ?? []).Select(k => (k.Selector, k.PublicKey))];
                results = await check.RunAsync(name, selectors, [.. addresses.Select(IPAddress.Parse)], cancellationToken, signing?.Domain).ConfigureAwait(false);
                if (signing is not null && signing.Domain != name)
                {
                    results = [new CheckResult("DKIM", CheckStatus.Pass, $"{name} is signed with d={signing.Domain}, its nearest parent with a key (aligned, relaxed)"), .. results];
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or FormatException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }

            Console.WriteLine(parseResult.GetValue(json) ? JsonSerializer.Serialize(results, Json) : Render(results));
            return results.Any(r => r.Status == CheckStatus.Fail) ? 1 : 0;
        });
        return command;
    }

    private static string Render(IReadOnlyList<CheckResult> results)
    {
        var subjectWidth = results.Max(r => r.Subject.Length);
        return string.Join(Environment.NewLine, results.Select(r => $"{r.Status.ToString().ToUpperInvariant(),-4}  {r.Subject.PadRight(subjectWidth)}  {r.Detail}"));
    }
}
