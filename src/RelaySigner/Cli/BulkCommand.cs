using System.CommandLine;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner bulk resume</c>: the operator's side of the complaint-rate guard.</summary>
internal static class BulkCommand
{
    public static Command Create() => new("bulk", "Bulk mail: resume a domain the complaint-rate guard paused.")
    {
        BulkResumeCommand.Create(),
    };
}
