using System.CommandLine;
using MimeKit.Cryptography;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner keys generate|list</c>: create signing keys and see which ones the relay has.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys", "Create and list DKIM signing keys.");
        command.Subcommands.Add(Generate());
        command.Subcommands.Add(List());
        return command;
    }

    private static Command Generate()
    {
        var domain = new Option<string>("--domain") { Description = "Domain the key signs for (d=)", Required = true };
        var selector = new Option<string>("--selector") { Description = "Selector (s=), e.g. s2026", Required = true };
        var algorithm = new Option<string>("--algorithm") { Description = "rsa or ed25519", DefaultValueFactory = _ => "rsa" };
        algorithm.AcceptOnlyFromAmong("rsa", "ed25519");
        var bits = new Option<int>("--bits") { Description = "RSA key size (at least 2048)", DefaultValueFactory = _ => 2048 };
        var keysPath = KeysPathOption.Create();
        var command = new Command("generate", "Write a new private key (mode 0600) and print the DNS TXT record to publish.")
        {
            domain, selector, algorithm, bits, keysPath,
        };
        command.SetAction(parseResult =>
        {
            var (output, errors) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            var signatureAlgorithm = parseResult.GetValue(algorithm) == "ed25519" ? DkimSignatureAlgorithm.Ed25519Sha256 : DkimSignatureAlgorithm.RsaSha256;
            try
            {
                var key = KeyGenerator.Generate(parseResult.GetValue(keysPath)!, parseResult.GetValue(domain)!, parseResult.GetValue(selector)!, signatureAlgorithm, parseResult.GetValue(bits));
                output.WriteLine($"; private key written to {key.Path}; publish this record, then the relay signs with it");
                output.WriteLine(key.ZoneLine);
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
            {
                errors.WriteLine($"keys generate: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Command List()
    {
        var keysPath = KeysPathOption.Create();
        var command = new Command("list", "Show every key: domain, selector, algorithm, bits and the DNS name of its record.") { keysPath };
        command.SetAction(parseResult =>
        {
            var (output, errors) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            var path = parseResult.GetValue(keysPath)!;
            if (!Directory.Exists(path))
            {
                errors.WriteLine($"keys list: folder {path} does not exist");
                return 1;
            }

            var status = 0;
            output.WriteLine($"{"DOMAIN",-30} {"SELECTOR",-16} {"ALGORITHM",-9} {"BITS",5}  DNS NAME");
            foreach (var (domain, selector, file) in KeyFolder.Files(path))
            {
                try
                {
                    var key = KeyFileReader.Read(file);
                    output.WriteLine($"{domain,-30} {selector,-16} {DkimDnsRecord.AlgorithmName(key.Algorithm),-9} {key.Bits,5}  {DkimDnsRecord.Name(domain, selector)}");
                }
                catch (InvalidDataException ex)
                {
                    errors.WriteLine(ex.Message);
                    status = 1;
                }
            }

            return status;
        });
        return command;
    }
}
