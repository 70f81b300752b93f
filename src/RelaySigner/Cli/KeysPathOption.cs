using System.CommandLine;
using RelaySigner.Signing;

namespace RelaySigner.Cli;

/// <summary>
/// <c>--keys-path</c> of the key tools. Defaults to the relay's own <c>Relay:Dkim:KeysPath</c>, read and resolved as
/// the relay does (<see cref="CliConfiguration"/>), so the tools look where the running relay looks.
/// </summary>
internal static class KeysPathOption
{
    public static Option<string?> Create() => new("--keys-path")
    {
        Description = "Key folder (<domain>/<selector>.pem); default: Relay:Dkim:KeysPath of the relay's configuration",
    };

    /// <summary>The folder given, else the configured one.</summary>
    public static string Resolve(ParseResult parseResult, Option<string?> option) =>
        parseResult.GetValue(option) is { Length: > 0 } given
            ? Path.GetFullPath(given)
            : CliConfiguration.Path(parseResult, $"{DkimOptions.SectionName}:KeysPath", new DkimOptions().KeysPath);
}
