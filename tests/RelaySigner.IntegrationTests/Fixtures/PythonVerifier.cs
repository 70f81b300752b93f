using System.Diagnostics;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>Runs one of the Python scripts in Verifiers/ as a separate process, the message on its standard input.</summary>
internal static class PythonVerifier
{
    /// <returns>The script's exit code, and its standard output followed by its standard error.</returns>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, byte[] message, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Verifiers", script), .. arguments])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        // Read both streams while writing, so a large output cannot block the verifier.
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(message);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
