using System.CommandLine;
using Org.BouncyCastle.Crypto;
using RelaySigner.Dmarc.Checks;
using RelaySigner.Signing.Alignment;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner dns check --domain D</c>: is what the domain publishes what the relay needs?</summary>
internal static class DnsCheckCommand
{
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
                results = await check.RunAsync(name, selectors, [.. relaySources.SelectMany(SpfProbes.Of)], cancellationToken, signing?.Domain,
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

            output.WriteLine(CheckResultOutput.Format(results, parseResult.GetValue(json)));
            return CheckResultOutput.ExitCode(results);
        });
        return command;
    }
}
