using System.CommandLine;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner compliance …</c>: the mailbox providers' rules for bulk senders.</summary>
internal static class ComplianceCommand
{
    public static Command Create()
    {
        var command = new Command("compliance", "The rules Gmail, Yahoo and Outlook.com set for bulk senders.");
        command.Subcommands.Add(ComplianceCheckCommand.Create());
        return command;
    }
}
