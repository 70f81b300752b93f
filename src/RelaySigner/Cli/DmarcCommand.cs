using System.CommandLine;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner dmarc …</c>: what receivers report about a domain's mail, and the next policy step.</summary>
internal static class DmarcCommand
{
    public static Command Create()
    {
        var command = new Command("dmarc", "DMARC aggregate reports and the staged rollout none → quarantine → reject.");
        command.Subcommands.Add(DmarcReportCommand.Create());
        command.Subcommands.Add(DmarcAdviseCommand.Create());
        command.Subcommands.Add(DmarcImportCommand.Create());
        return command;
    }
}
