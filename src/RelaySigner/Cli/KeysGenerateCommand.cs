using System.CommandLine;
using MimeKit.Cryptography;
using RelaySigner.Operations;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Cli;

/// <summary>
/// <c>relaysigner keys generate</c>: a new private key, written pending (the relay does not sign with it yet), and the
/// DNS record to publish. <c>keys activate</c> checks the record and makes the relay sign with it.
/// </summary>
internal static class KeysGenerateCommand
{
    public static Command Create()
    {
        var domain = new Option<string>("--domain") { Description = "Domain the key signs for (d=)", Required = true };
        var selector = new Option<string>("--selector") { Description = "Selector (s=), e.g. s2026", Required = true };
        var algorithm = new Option<string>("--algorithm") { Description = "rsa or ed25519", DefaultValueFactory = _ => "rsa" };
        algorithm.AcceptOnlyFromAmong("rsa", "ed25519");
        var bits = new Option<int>("--bits") { Description = "RSA key size (at least 2048)", DefaultValueFactory = _ => 2048 };
        var keysPath = KeysPathOption.Create();
        var command = new Command("generate", "Write a new private key (mode 0600), pending until `keys activate`, and print the DNS TXT record to publish.")
        {
            domain, selector, algorithm, bits, keysPath,
        };
        command.SetAction(parseResult =>
        {
            var (output, errors) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            var folder = KeysPathOption.Resolve(parseResult, keysPath);
            if (DemoKeys.IsDemoFolder(folder))
            {
                // The demo folder is public (it ships with the source): a real key must never land there.
                errors.WriteLine($"keys generate: {folder} is the public demo key folder; give --keys-path (e.g. --keys-path /etc/relaysigner/keys) and point Relay:Dkim:KeysPath at it");
                return 2;
            }

            var signatureAlgorithm = parseResult.GetValue(algorithm) == "ed25519" ? DkimSignatureAlgorithm.Ed25519Sha256 : DkimSignatureAlgorithm.RsaSha256;
            try
            {
                var key = KeyGenerator.Generate(folder, parseResult.GetValue(domain)!, parseResult.GetValue(selector)!, signatureAlgorithm, parseResult.GetValue(bits), pending: true);
                var (keyDomain, keySelector) = (Path.GetFileName(Path.GetDirectoryName(key.Path))!, parseResult.GetValue(selector)!);
                output.WriteLine($"; private key written to {key.Path} (pending: the relay does not sign with it yet)");
                output.WriteLine($"; publish this record, then run: relaysigner keys activate --domain {keyDomain} --selector {keySelector}");
                output.WriteLine(key.ZoneLine);
                return 0;
            }
            catch (ArgumentException ex)
            {
                errors.WriteLine($"keys generate: {ex.Message.Split(" (Parameter")[0]}");
                return 2;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.WriteLine($"keys generate: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
