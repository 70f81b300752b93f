using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>The independent verifier: dkimpy (Debian's python3-dkim) run as a separate process.</summary>
internal static class Dkimpy
{
    /// <param name="keysPath">Key folder whose <c>&lt;domain&gt;/&lt;selector&gt;.txt</c> records answer the key lookups; default keys.example.</param>
    /// <returns>Exit code 0 when every signature passes, and one line per signature ("pass d=… s=… a=…").</returns>
    public static Task<(int ExitCode, string Output)> VerifyAsync(byte[] message, string? keysPath = null) =>
        PythonVerifier.RunAsync("dkimpy_verify.py", message, keysPath ?? RepositoryRoot.KeysExample);
}
