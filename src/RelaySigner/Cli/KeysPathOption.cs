using System.CommandLine;
using RelaySigner.Signing;

namespace RelaySigner.Cli;

/// <summary>
/// <c>--keys-path</c> of the key tools. Defaults to the relay's own <c>Relay:Dkim:KeysPath</c> (appsettings.json,
/// then environment), so the tools look where the running relay looks.
/// </summary>
internal static class KeysPathOption
{
    public static Option<string> Create() => new("--keys-path")
    {
        Description = "Key folder (<domain>/<selector>.pem); default: Relay:Dkim:KeysPath of the configuration",
        DefaultValueFactory = _ => ConfiguredKeysPath(),
    };

    private static string ConfiguredKeysPath() =>
        CliConfiguration.Load([])[$"{DkimOptions.SectionName}:KeysPath"] ?? new DkimOptions().KeysPath;
}
