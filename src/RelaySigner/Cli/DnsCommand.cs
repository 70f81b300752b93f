using System.CommandLine;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner dns …</c>: what a domain must publish, and whether it does.</summary>
internal static class DnsCommand
{
    public static Command Create()
    {
        var command = new Command("dns", "DNS records for DKIM, SPF and DMARC: what to publish, and checks of what is published.");
        command.Subcommands.Add(DnsRecordsCommand.Create());
        command.Subcommands.Add(DnsCheckCommand.Create());
        return command;
    }
}
