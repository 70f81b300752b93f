using System.Diagnostics;
using System.Text;
using RelaySigner.Intake.Auth;

namespace RelaySigner.IntegrationTests.Cli;

/// <summary><c>users hash-password</c> on a terminal prompts and does not echo what is typed.</summary>
public sealed class HashPasswordTerminalTests
{
    [Fact]
    public async Task On_a_terminal_it_prompts_twice_and_never_echoes_the_password()
    {
        if (!File.Exists("/usr/bin/script"))
        {
            return; // util-linux script gives the command a pseudo-terminal; without it there is no terminal to test
        }

        // script runs the verb on a pseudo-terminal; what the terminal shows comes back on its standard output.
        var start = new ProcessStartInfo("/usr/bin/script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-qfec", $"dotnet {Fixtures.CliProcess.Dll} users hash-password", "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var shown = new StringBuilder();
        await ReadUntilAsync(process, shown, "Password: ");
        await process.StandardInput.WriteAsync("s3cret-typed\r");
        await process.StandardInput.FlushAsync();
        await ReadUntilAsync(process, shown, "Repeat password: ");
        await process.StandardInput.WriteAsync("s3cret-typed\r");
        await process.StandardInput.FlushAsync();
        shown.Append(await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain("s3cret-typed", shown.ToString());
        // What the terminal shows, less the control sequences .NET sends it (keypad mode), which are not text.
        var text = System.Text.RegularExpressions.Regex.Replace(shown.ToString(), @"\x1b(\[[?0-9;]*[A-Za-z]|[=>])", "");
        var hash = text.Split('\n').Select(l => l.Trim()).Last(l => l.Length > 0);
        Assert.True(PasswordHash.Verify("s3cret-typed", hash), hash);
    }

    private static async Task ReadUntilAsync(Process process, StringBuilder shown, string prompt)
    {
        var buffer = new char[256];
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!shown.ToString().EndsWith(prompt, StringComparison.Ordinal))
        {
            var read = await process.StandardOutput.ReadAsync(buffer, patience.Token);
            Assert.True(read > 0, $"the terminal closed before '{prompt}': {shown}");
            shown.Append(buffer, 0, read);
        }
    }
}
