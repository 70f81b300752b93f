using System.CommandLine;

namespace RelaySigner.Cli;

/// <summary>The verbs of <c>relaysigner</c>. With no verb it runs the relay.</summary>
public static class RelayCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("RelaySigner: an outbound SMTP relay that DKIM-signs mail aligned with its From domain and delivers it.");
        CliConfiguration.AddTo(root);
        root.SetAction(RunCommand.InvokeAsync);
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(SendCommand.Create());
        root.Subcommands.Add(SinkCommand.Create());
        root.Subcommands.Add(DmarcCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(DnsCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(QueueCommand.Create());
        root.Subcommands.Add(BouncesCommand.Create());
        root.Subcommands.Add(SuppressCommand.Create());
        root.Subcommands.Add(HistoryCommand.Create());
        root.Subcommands.Add(ComplianceCommand.Create());
        root.Subcommands.Add(BulkCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. A configuration problem found by a verb is one line on standard error
    /// and exit code <see cref="ExitCodes.Configuration"/>, not a stack trace.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? invocation = null)
    {
        invocation ??= new InvocationConfiguration { ProcessTerminationTimeout = null };
        invocation.EnableDefaultExceptionHandler = false;
        try
        {
            return await Build().Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (Configuration.ConfigurationProblemException problem)
        {
            await invocation.Error.WriteLineAsync($"error: {problem.Message}").ConfigureAwait(false);
            return ExitCodes.Configuration;
        }
    }
}
