namespace RelaySigner.Tests.Cli;

/// <summary>The shell completion script asks the program itself: <c>relaysigner "[suggest:N]" "LINE"</c>.</summary>
public sealed class CompletionTests
{
    [Theory]
    [InlineData("relaysigner q", "queue")]
    [InlineData("relaysigner keys ", "activate\ngenerate\nlist")]
    [InlineData("relaysigner queue list --j", "--json")]
    public async Task The_suggest_directive_completes_verbs_and_options_without_the_hidden_overrides(string line, string expected)
    {
        var (status, output, _) = await CliRun.RunAsync($"[suggest:{line.Length}]", line);

        Assert.Equal(0, status);
        var suggestions = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Subset(suggestions.ToHashSet(), expected.Split('\n').ToHashSet());
        Assert.DoesNotContain(suggestions, s => s.StartsWith("--Relay", StringComparison.Ordinal) || s.StartsWith("--Logging", StringComparison.Ordinal));
    }
}
