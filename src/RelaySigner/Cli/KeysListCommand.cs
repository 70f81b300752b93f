using System.CommandLine;
using RelaySigner.Operations;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner keys list</c>: every key of the folder, active or pending, and which are the public demo keys.</summary>
internal static class KeysListCommand
{
    public static Command Create()
    {
        var keysPath = KeysPathOption.Create();
        var command = new Command("list", "Show every key: domain, selector, algorithm, bits, state and the DNS name of its record.") { keysPath };
        command.SetAction(parseResult =>
        {
            var (output, errors) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            var path = KeysPathOption.Resolve(parseResult, keysPath);
            if (!Directory.Exists(path))
            {
                errors.WriteLine($"keys list: folder {path} does not exist");
                return 1;
            }

            var status = 0;
            output.WriteLine($"{"DOMAIN",-30} {"SELECTOR",-16} {"ALGORITHM",-9} {"BITS",5}  {"STATE",-7}  DNS NAME");
            var files = KeyFolder.Files(path).Select(k => (k.Domain, k.Selector, k.Path, State: "active"))
                .Concat(KeyFolder.PendingFiles(path).Select(k => (k.Domain, k.Selector, k.Path, State: "pending")))
                .OrderBy(k => k.Domain, StringComparer.Ordinal).ThenBy(k => k.Selector, StringComparer.Ordinal);
            foreach (var (domain, selector, file, state) in files)
            {
                try
                {
                    var key = KeyFileReader.Read(file);
                    var shown = DemoKeys.IsDemo(key.Key) ? "demo" : state;
                    output.WriteLine($"{domain,-30} {selector,-16} {DkimDnsRecord.AlgorithmName(key.Algorithm),-9} {key.Bits,5}  {shown,-7}  {DkimDnsRecord.Name(domain, selector)}");
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
