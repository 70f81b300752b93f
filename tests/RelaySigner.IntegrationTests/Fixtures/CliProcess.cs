using System.Diagnostics;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// <c>relaysigner</c> as its own process (the test output folder's relaysigner.dll), for what only a real process
/// shows: the working directory and environment it is started with, and everything it prints.
/// </summary>
internal static class CliProcess
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "relaysigner.dll");

    /// <param name="environment">Variables to set (null removes one).</param>
    public static async Task<(int Status, string Output, string Errors)> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test host's own environment must not leak in (the runner sets DOTNET_ variables).
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("DOTNET_CONTENTROOT");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"relaysigner {string.Join(' ', args)} did not end within {Patience}");
        }

        return (process.ExitCode, await output, await errors);
    }
}
