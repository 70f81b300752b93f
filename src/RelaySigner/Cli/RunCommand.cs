using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner run</c>: the relay itself, configured by appsettings.json, environment and arguments.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the relay (the default). Configuration overrides may follow, e.g. --Relay:Smtp:Port=2526.");
        command.SetAction(InvokeAsync);
        return command;
    }

    /// <summary>
    /// Builds and starts the host; a start that fails is reported as one line per reason on standard error (every
    /// configuration error at once), without a stack trace, and a non-zero exit code.
    /// </summary>
    public static async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var errors = parseResult.InvocationConfiguration.Error;
        IHost host;
        try
        {
            host = RelayHost.CreateBuilder(CliConfiguration.Overrides(parseResult), CliConfiguration.Folder(parseResult)).Build();
        }
        catch (Exception ex) when (StartupFailure.IsExpected(ex))
        {
            return StartupFailure.Report(ex, errors);
        }

        using (host)
        {
            try
            {
                // Options first, on their own: every invalid setting in one report, before anything binds or locks.
                if (host.Services.GetService<IAsyncStartupValidator>() is { } validator)
                {
                    await validator.ValidateAsync(cancellationToken).ConfigureAwait(false);
                }

                await host.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (StartupFailure.IsExpected(ex))
            {
                return StartupFailure.Report(ex, errors);
            }

            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }
}
