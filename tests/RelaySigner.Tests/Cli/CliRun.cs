using System.CommandLine;
using RelaySigner.Cli;

namespace RelaySigner.Tests.Cli;

/// <summary>Runs <c>relaysigner</c> in-process as <c>Program</c> does, with its output and errors captured.</summary>
internal static class CliRun
{
    public static async Task<(int Status, string Output, string Errors)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var status = await RelayCommandLine.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = errors });
        return (status, output.ToString(), errors.ToString());
    }
}
