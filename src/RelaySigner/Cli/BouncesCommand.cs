using System.CommandLine;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner bounces …</c>: what comes back from receivers (bounces, complaints, auto-replies).</summary>
internal static class BouncesCommand
{
    public static Command Create()
    {
        var command = new Command("bounces", "Bounces, complaints and auto-replies that come back from receivers.");
        command.Subcommands.Add(BouncesParseCommand.Create());
        return command;
    }
}
