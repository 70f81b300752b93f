using System.CommandLine;
using Microsoft.Extensions.Configuration;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner dns records</c>: the DNS records to publish for a domain the relay signs for.</summary>
internal static class DnsRecordsCommand
{
    public static Command Create()
    {
        var domain = new Option<string>("--domain") { Description = "Domain to print records for", Required = true };
        var rua = new Option<string?>("--rua") { Description = "Address for DMARC aggregate reports; default dmarc-reports@<domain>" };
        var keysPath = KeysPathOption.Create();
        var command = new Command("records", "Print the DKIM record of every selector of the domain, a suggested SPF record and a starting DMARC record.")
        {
            domain, rua, keysPath,
        };
        command.SetAction(parseResult =>
        {
            var (output, errors) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            var name = parseResult.GetValue(domain)!.Trim().TrimEnd('.').ToLowerInvariant();
            var path = KeysPathOption.Resolve(parseResult, keysPath);
            var keys = Directory.Exists(path) ? KeyFolder.Files(path).Where(k => k.Domain == name).ToList() : [];
            var status = 0;
            output.WriteLine($"; DKIM: one record per selector of {name} (keys in {path})");
            if (keys.Count == 0)
            {
                output.WriteLine($"; no keys for {name} yet: relaysigner keys generate --domain {name} --selector s1");
            }

            foreach (var (keyDomain, selector, file) in keys)
            {
                try
                {
                    output.WriteLine(DkimDnsRecord.ZoneLine(keyDomain, selector, DkimDnsRecord.Value(KeyFileReader.Read(file).Key)));
                }
                catch (InvalidDataException ex)
                {
                    errors.WriteLine(ex.Message);
                    status = 1;
                }
            }

            output.WriteLine("; SPF (suggested): lists who may send as the domain; add the relay's public addresses (ip4:/ip6:)");
            output.WriteLine($"{name}. 3600 IN TXT \"v=spf1 mx ~all\"");
            output.WriteLine("; DMARC (start of the rollout): p=none only collects reports; move to quarantine/reject once they are clean");
            output.WriteLine($"_dmarc.{name}. 3600 IN TXT \"v=DMARC1; p=none; rua=mailto:{parseResult.GetValue(rua) ?? "dmarc-reports@" + name}; adkim=r; aspf=r\"");
            if (ReturnPathOfDomain.Find(parseResult, name) is { } returnPath)
            {
                WriteReturnPath(output, parseResult, name, returnPath.Domain, returnPath.InboundHost);
            }

            return status;
        });
        return command;
    }

    /// <summary>
    /// The return-path domain's SPF (the relay's source addresses, which receivers check against MAIL FROM) and its MX
    /// (the relay's inbound listener, where bounces come back).
    /// </summary>
    private static void WriteReturnPath(TextWriter output, ParseResult parseResult, string fromDomain, string domain, string? inboundHost)
    {
        var configuration = CliConfiguration.Load(parseResult).Configuration;
        var sources = configuration.GetSection(RelaySources.ConfigurationKey).Get<string[]>() ?? [];
        var host = inboundHost ?? "relay.example.net";
        var terms = sources.Length == 0
            ? $"a:{host}"
            : string.Join(' ', sources.Select(s => (s.Contains(':') ? "ip6:" : "ip4:") + s.Trim()));
        output.WriteLine($"; Return path (VERP): mail from {fromDomain} goes out with MAIL FROM:<b-TOKEN@{domain}>");
        output.WriteLine(sources.Length == 0
            ? $"; SPF of the return-path domain: set Relay:Delivery:SourceAddresses to list the relay's addresses; until then a:{host}"
            : "; SPF of the return-path domain: the relay's addresses (Relay:Delivery:SourceAddresses)");
        output.WriteLine($"{domain}. 3600 IN TXT \"v=spf1 {terms} -all\"");
        output.WriteLine(inboundHost is null
            ? "; MX of the return-path domain: the relay's public name (set Relay:Smtp:ServerName), listening with Relay:Inbound:Port=25"
            : "; MX of the return-path domain: the relay's inbound listener (Relay:Inbound:Port=25)");
        output.WriteLine($"{domain}. 3600 IN MX 10 {host}.");
    }
}
