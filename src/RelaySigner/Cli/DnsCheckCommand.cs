using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Org.BouncyCastle.Crypto;
using RelaySigner.Dmarc.Checks;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner dns check --domain D</c>: is what the domain publishes what the relay needs?</summary>
internal static class DnsCheckCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) }, // "status": "pass", not 0
    };

    public static Command Create()
    {
        var domain = new Option<string>("--domain") { Description = "The From domain to check", Required = true };
        var dnsServer = DnsServerOption.Create();
        var relayIps = RelaySources.CreateOption();
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts instead of a table" };
        var keysPath = KeysPathOption.Create();
        var command = new Command("check", "Check the DKIM keys, SPF and DMARC records a domain publishes. Exit code 1 when a check fails.")
        {
            domain, dnsServer, relayIps, json, keysPath,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (output, errors) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            var name = parseResult.GetValue(domain)!.TrimEnd('.').ToLowerInvariant();
            if (!RelaySources.TryResolve(parseResult.GetValue(relayIps), CliConfiguration.Load(parseResult.UnmatchedTokens), errors, out var relaySources))
            {
                return 2;
            }

            IReadOnlyList<CheckResult> results;
            try
            {
                var check = new DomainDnsCheck(DnsServerOption.Parse(parseResult.GetValue(dnsServer)), PublicSuffixList.Shipped.OrganizationalDomain);
                results = await check.RunAsync(name, LocalSelectors(parseResult.GetValue(keysPath)!, name), [.. relaySources.SelectMany(SpfProbes)], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or FormatException)
            {
                errors.WriteLine($"error: {ex.Message}");
                return 2;
            }

            output.WriteLine(parseResult.GetValue(json) ? JsonSerializer.Serialize(results, Json) : Render(results));
            return results.Any(r => r.Status == CheckStatus.Fail) ? 1 : 0;
        });
        return command;
    }

    /// <summary>
    /// The addresses SPF must authorise for one of the relay's sources: the address, or a network's first and last
    /// address. An SPF ip4/ip6 term is itself a network, so a record that covers both ends covers the range unless it
    /// is split into pieces with a gap, which this does not see.
    /// </summary>
    private static IEnumerable<IPAddress> SpfProbes(IPNetwork network)
    {
        var last = network.BaseAddress.GetAddressBytes();
        if (network.PrefixLength == last.Length * 8)
        {
            return [network.BaseAddress];
        }

        for (var bit = network.PrefixLength; bit < last.Length * 8; bit++)
        {
            last[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        return [network.BaseAddress, new IPAddress(last)];
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
