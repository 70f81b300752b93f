using System.CommandLine;
using System.Text;
using RelaySigner.Intake.Auth;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner users hash-password</c>: the value for <c>Relay:Smtp:Users:&lt;n&gt;:PasswordHash</c>.</summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var hash = new Command("hash-password", "Read a password (prompted without echo on a terminal, else the first line of standard input) and print its PBKDF2-SHA256 hash for Relay:Smtp:Users:<n>:PasswordHash.");
        hash.SetAction(async (parseResult, cancellationToken) =>
        {
            var errors = parseResult.InvocationConfiguration.Error;
            // Never an argument: arguments end up in shell history and process listings.
            string? password;
            if (Console.IsInputRedirected)
            {
                password = await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                password = ReadHidden("Password: ", errors);
                if (password != ReadHidden("Repeat password: ", errors))
                {
                    await errors.WriteLineAsync("the passwords differ").ConfigureAwait(false);
                    return 1;
                }
            }

            if (string.IsNullOrEmpty(password))
            {
                await errors.WriteLineAsync("no password given").ConfigureAwait(false);
                return 1;
            }

            await parseResult.InvocationConfiguration.Output.WriteLineAsync(PasswordHash.Create(password)).ConfigureAwait(false);
            return 0;
        });
        return new Command("users", "Manage SMTP AUTH users.") { hash };
    }

    /// <summary>Reads a line from the terminal without echoing it.</summary>
    /// <remarks>
    /// ReadKey with intercept keeps the terminal from echoing only while a read is in progress: what arrives before
    /// the first read (a paste, a password manager, a script typing at the prompt) was echoed by the terminal itself,
    /// seen in a test once in a few dozen runs. So the echo is off, through stty (.NET has no termios API), from before
    /// the prompt until the line is read.
    /// </remarks>
    private static string ReadHidden(string prompt, TextWriter errors)
    {
        TerminalEcho(on: false);
        try
        {
            errors.Write(prompt);
            errors.Flush();
            var typed = new StringBuilder();
            while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
            {
                if (key.Key == ConsoleKey.Backspace)
                {
                    typed.Length = Math.Max(0, typed.Length - 1);
                }
                else if (!char.IsControl(key.KeyChar))
                {
                    typed.Append(key.KeyChar);
                }
            }

            errors.WriteLine();
            return typed.ToString();
        }
        finally
        {
            TerminalEcho(on: true);
        }
    }

    /// <summary>Sets the echo of the terminal on standard input; without stty, ReadKey's own handling remains.</summary>
    private static void TerminalEcho(bool on)
    {
        try
        {
            using var stty = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stty", on ? "echo" : "-echo") { UseShellExecute = false });
            stty?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }
}
