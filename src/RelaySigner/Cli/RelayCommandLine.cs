using System.CommandLine;

namespace RelaySigner.Cli;

/// <summary>The verbs of <c>relaysigner</c>. With no verb it runs the relay.</summary>
public static class RelayCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("RelaySigner: an outbound SMTP relay that DKIM-signs mail aligned with its From domain and delivers it.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.SetAction(RunCommand.InvokeAsync);
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(SendCommand.Create());
        root.Subcommands.Add(SinkCommand.Create());
        root.Subcommands.Add(DmarcCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(DnsCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(QueueCommand.Create());
        root.Subcommands.Add(BouncesCommand.Create());
        return root;
    }
}
