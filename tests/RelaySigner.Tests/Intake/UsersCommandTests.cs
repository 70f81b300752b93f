using System.CommandLine;
using RelaySigner.Cli;
using RelaySigner.Intake.Auth;

namespace RelaySigner.Tests.Intake;

public sealed class UsersCommandTests
{
    [Fact]
    public async Task Hash_password_reads_the_password_from_stdin_and_prints_a_hash_that_verifies_it()
    {
        var output = new StringWriter();
        var stdin = Console.In;
        Console.SetIn(new StringReader("correct horse\n"));
        try
        {
            var exitCode = await RelayCommandLine.Build().Parse(["users", "hash-password"]).InvokeAsync(new InvocationConfiguration { Output = output });

            Assert.Equal(0, exitCode);
        }
        finally
        {
            Console.SetIn(stdin);
        }

        var hash = output.ToString().Trim();
        Assert.StartsWith("pbkdf2-sha256$600000$", hash);
        Assert.True(PasswordHash.Verify("correct horse", hash));
        Assert.DoesNotContain("correct horse", hash);
    }
}
