using System.CommandLine;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Org.BouncyCastle.Crypto;
using RelaySigner.Dmarc.Checks;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Keys;

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
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var configuration = CliConfiguration.Load(parseResult.UnmatchedTokens);
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
                var check = new DomainDnsCheck(DnsServerOption.Parse(parseResult.GetValue(dnsServer)), PublicSuffixList.Shipped.OrganizationalDomain);
                results = await check.RunAsync(name, LocalSelectors(parseResult.GetValue(keysPath)!, name), [.. addresses.Select(IPAddress.Parse)], cancellationToken).ConfigureAwait(false);
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

    /// <summary>The selectors the relay signs the domain with, from the key folder.</summary>
    private static List<(string Selector, AsymmetricKeyParameter PublicKey)> LocalSelectors(string keysPath, string domain)
    {
        return Directory.Exists(keysPath)
            ? [.. KeyFolder.Files(keysPath).Where(k => k.Domain == domain).Select(k => (k.Selector, PublicKeys.Of(KeyFileReader.Read(k.Path).Key)))]
            : [];
    }

    private static string Render(IReadOnlyList<CheckResult> results)
    {
        var subjectWidth = results.Max(r => r.Subject.Length);
        return string.Join(Environment.NewLine, results.Select(r => $"{r.Status.ToString().ToUpperInvariant(),-4}  {r.Subject.PadRight(subjectWidth)}  {r.Detail}"));
    }
}
