using System.CommandLine;
using RelaySigner.Intake.Auth;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner users hash-password</c>: the value for <c>Relay:Smtp:Users:&lt;n&gt;:PasswordHash</c>.</summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var hash = new Command("hash-password", "Read a password from standard input (first line) and print its PBKDF2-SHA256 hash for Relay:Smtp:Users:<n>:PasswordHash.");
        hash.SetAction(async (parseResult, cancellationToken) =>
        {
            // From stdin, never an argument: arguments end up in shell history and process listings.
            var password = await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(password))
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("no password on standard input").ConfigureAwait(false);
                return 1;
            }

            await parseResult.InvocationConfiguration.Output.WriteLineAsync(PasswordHash.Create(password)).ConfigureAwait(false);
            return 0;
        });
        return new Command("users", "Manage SMTP AUTH users.") { hash };
    }
}
