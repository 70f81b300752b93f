using Microsoft.Extensions.Configuration;

namespace RelaySigner.Cli;

/// <summary>
/// The relay's configuration as the admin verbs see it: appsettings.json in the working directory, then
/// environment variables, then <c>--Relay:…=value</c> tokens — the same order the running relay uses.
/// </summary>
internal static class CliConfiguration
{
    public static IConfiguration Load(IEnumerable<string> overrides) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. overrides])
            .Build();
}
