using System.Diagnostics;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>The independent verifier: dkimpy (Debian's python3-dkim) run as a separate process.</summary>
internal static class Dkimpy
{
    /// <returns>Exit code 0 when every signature passes, and one line per signature.</returns>
    public static async Task<(int ExitCode, string Output)> VerifyAsync(byte[] message)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Verifiers", "dkimpy_verify.py");
        var start = new ProcessStartInfo("/usr/bin/python3", [script, RepositoryRoot.KeysExample])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.BaseStream.WriteAsync(message);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + errors);
    }
}
