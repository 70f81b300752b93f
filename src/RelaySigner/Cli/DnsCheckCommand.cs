using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Org.BouncyCastle.Crypto;
using RelaySigner.Dmarc.Checks;
using RelaySigner.Signing.Alignment;

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
        var command = new Command("check", "Check the DKIM keys, SPF and DMARC records a domain publishes, and its return-path domain's SPF and MX when one is configured. Exit code 1 when a check fails.")
        {
            domain, dnsServer, relayIps, json, keysPath,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (output, errors) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            var name = parseResult.GetValue(domain)!.TrimEnd('.').ToLowerInvariant();
            if (!RelaySources.TryResolve(parseResult.GetValue(relayIps), CliConfiguration.Load(parseResult).Configuration, errors, out var relaySources))
            {
                return 2;
            }

            IReadOnlyList<CheckResult> results;
            try
            {
                var check = new DomainDnsCheck(DnsServerOption.Resolve(parseResult, dnsServer), PublicSuffixList.Shipped.OrganizationalDomain);
                var signing = SigningKeysOfDomain.Find(parseResult, KeysPathOption.Resolve(parseResult, keysPath), name);
                List<(string, AsymmetricKeyParameter)> selectors = [.. (signing?.Keys ?? []).Select(k => (k.Selector, k.PublicKey))];
                results = await check.RunAsync(name, selectors, [.. relaySources.SelectMany(SpfProbes)], cancellationToken, signing?.Domain,
                    ReturnPathOfDomain.Find(parseResult, name)).ConfigureAwait(false);
                if (signing is not null && signing.Domain != name)
                {
                    results = [new CheckResult("DKIM", CheckStatus.Pass, $"{name} is signed with d={signing.Domain}, its nearest parent with a key (aligned, relaxed)"), .. results];
                }
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

    private static string Render(IReadOnlyList<CheckResult> results)
    {
        var subjectWidth = results.Max(r => r.Subject.Length);
        return string.Join(Environment.NewLine, results.Select(r => $"{r.Status.ToString().ToUpperInvariant(),-4}  {r.Subject.PadRight(subjectWidth)}  {r.Detail}"));
    }
}
