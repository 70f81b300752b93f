using System.CommandLine;
using Microsoft.Extensions.Hosting;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner run</c>: the relay itself, configured by appsettings.json, environment and arguments.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the relay (the default). Configuration overrides may follow, e.g. --Relay:Smtp:Port=2526.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(InvokeAsync);
        return command;
    }

    /// <summary>Unrecognised tokens are configuration overrides for the host.</summary>
    public static async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        using var host = RelayHost.CreateBuilder([.. parseResult.UnmatchedTokens]).Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
