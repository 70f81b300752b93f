using System.CommandLine;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using RelaySigner.Configuration;

namespace RelaySigner.Cli;

/// <summary>
/// The relay's configuration as the verbs see it: exactly what <c>run</c> reads (<see cref="RelayConfiguration"/>),
/// from <c>--config DIR</c> or the same folder the relay would use, plus the verb's <c>--Relay:…=value</c> overrides.
/// </summary>
internal static class CliConfiguration
{
    public const string ConfigOptionName = "--config";

    /// <summary>Sections that may be overridden on the command line, as <c>--Relay:Smtp:Port=2526</c>.</summary>
    private static readonly string[] OverridableSections = ["Relay", "Logging"];

    /// <summary>
    /// <c>--config DIR</c> and the override options, on every verb. System.CommandLine splits <c>--Relay:Smtp:Port=2526</c>
    /// at its first ':' into the option <c>--Relay</c> and the value <c>Smtp:Port=2526</c>, so overrides need no
    /// pre-parsing and every other unknown token stays an error.
    /// </summary>
    public static void AddTo(RootCommand root)
    {
        root.Options.Add(new Option<string?>(ConfigOptionName)
        {
            Description = "Folder holding appsettings.json (and appsettings.{Environment}.json); default: the relay's own",
            Recursive = true,
        });
        foreach (var section in OverridableSections)
        {
            var option = new Option<string[]>("--" + section)
            {
                Description = $"Configuration override, --{section}:Section:Key=value",
                Recursive = true,
                Hidden = true,
            };
            option.Validators.Add(result =>
            {
                foreach (var value in result.GetValueOrDefault<string[]>() ?? [])
                {
                    if (value.IndexOf('=', StringComparison.Ordinal) <= 0)
                    {
                        result.AddError($"'--{section}:{value}' is not a configuration override; write --{section}:Section:Key=value");
                    }
                }
            });
            root.Options.Add(option);
        }
    }

    /// <summary>The overrides given on the command line, as the host's command-line configuration reads them.</summary>
    public static IReadOnlyList<string> Overrides(ParseResult parseResult) =>
        [.. OverridableSections.SelectMany(section => (parseResult.GetValue<string[]>("--" + section) ?? []).Select(value => $"--{section}:{value}"))];

    public static string? Folder(ParseResult parseResult) => parseResult.GetValue<string?>(ConfigOptionName);

    /// <summary>Built once per command line: a verb asks for several settings.</summary>
    private static readonly ConditionalWeakTable<ParseResult, HostApplicationBuilder> Loaded = [];

    /// <exception cref="ConfigurationProblemException">A key under Relay: that no option binds, or a missing --config folder.</exception>
    public static (IConfiguration Configuration, IHostEnvironment Environment) Load(ParseResult parseResult)
    {
        var builder = Loaded.GetValue(parseResult, result => RelayConfiguration.CreateBuilder(Overrides(result), Folder(result)));
        if (UnknownSettings.Find(builder.Configuration) is { Count: > 0 } problems)
        {
            throw new ConfigurationProblemException(string.Join(Environment.NewLine, problems));
        }

        return (builder.Configuration, builder.Environment);
    }

    /// <summary>A path setting of the configuration, relative ones taken from the configuration folder as the relay does.</summary>
    public static string Path(ParseResult parseResult, string key, string fallback)
    {
        var (configuration, environment) = Load(parseResult);
        return RelayConfiguration.Resolve(configuration[key] is { Length: > 0 } value ? value : fallback, environment)!;
    }
}
