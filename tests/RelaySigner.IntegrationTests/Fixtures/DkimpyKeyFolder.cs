using System.Diagnostics;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// dkimpy (Debian's python3-dkim) verifying against the records of any key folder, not only keys.example:
/// the same script as <see cref="Dkimpy"/>, run as a separate process.
/// </summary>
internal static class DkimpyKeyFolder
{
    /// <returns>Exit code 0 when every signature passes, and one line per signature ("pass d=… s=… a=…").</returns>
    public static async Task<(int ExitCode, string Output)> VerifyAsync(byte[] message, string keysPath)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Verifiers", "dkimpy_verify.py");
        var start = new ProcessStartInfo("/usr/bin/python3", [script, keysPath])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(message);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
