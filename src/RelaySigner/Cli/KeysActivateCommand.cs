using System.CommandLine;
using RelaySigner.Core.Signing;
using RelaySigner.Dmarc.Checks;
using RelaySigner.Dmarc.Lookup;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Cli;

/// <summary>
/// <c>relaysigner keys activate</c>: once DNS publishes a pending key's record, make it a signing key (the running relay
/// re-reads its key folder and signs with it from then on). A key DNS does not publish is left pending: every signature
/// made with it would fail at the receivers.
/// </summary>
internal static class KeysActivateCommand
{
    public static Command Create()
    {
        var domain = new Option<string>("--domain") { Description = "Domain of the pending key", Required = true };
        var selector = new Option<string>("--selector") { Description = "Selector of the pending key", Required = true };
        var force = new Option<bool>("--force") { Description = "Activate without checking DNS (e.g. DNS is not reachable from here)" };
        var dnsServer = DnsServerOption.Create();
        var keysPath = KeysPathOption.Create();
        var command = new Command("activate", "Check that DNS publishes a pending key's record, then let the relay sign with it.")
        {
            domain, selector, force, dnsServer, keysPath,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (output, errors) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            var folder = KeysPathOption.Resolve(parseResult, keysPath);
            var (name, label) = (parseResult.GetValue(domain)!.Trim().TrimEnd('.').ToLowerInvariant(), parseResult.GetValue(selector)!);
            var pending = KeyFolder.PendingPemPath(folder, name, label);
            if (!File.Exists(pending))
            {
                errors.WriteLine($"keys activate: no pending key {pending}");
                return 1;
            }

            if (!parseResult.GetValue(force))
            {
                var publicKey = PublicKeys.Of(KeyFileReader.Read(pending).Key);
                var published = await new DkimSelectorCheck(new TxtLookup(DnsServerOption.Resolve(parseResult, dnsServer)))
                    .InspectAsync(name, label, publicKey, cancellationToken).ConfigureAwait(false);
                if (published.Verdict != PublishedKeyVerdict.Matches)
                {
                    errors.WriteLine($"keys activate: not activated, {published.Detail}; publish {KeyFolder.RecordPath(folder, name, label)} first (or --force)");
                    return 1;
                }
            }

            File.Move(pending, KeyFolder.PemPath(folder, name, label), overwrite: false);
            output.WriteLine($"{DkimDnsRecord.Name(name, label)}: active; the relay signs {name} with it from now on");
            return 0;
        });
        return command;
    }
}
