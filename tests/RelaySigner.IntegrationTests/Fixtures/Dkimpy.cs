using System.Diagnostics;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>The independent verifier: dkimpy (Debian's python3-dkim) run as a separate process.</summary>
internal static class Dkimpy
{
    /// <param name="keysPath">Key folder whose <c>&lt;domain&gt;/&lt;selector&gt;.txt</c> records answer the key lookups; default keys.example.</param>
    /// <returns>Exit code 0 when every signature passes, and one line per signature ("pass d=… s=… a=…").</returns>
    public static async Task<(int ExitCode, string Output)> VerifyAsync(byte[] message, string? keysPath = null)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Verifiers", "dkimpy_verify.py");
        var start = new ProcessStartInfo("/usr/bin/python3", [script, keysPath ?? RepositoryRoot.KeysExample])
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
