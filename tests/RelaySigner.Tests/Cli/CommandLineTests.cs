namespace RelaySigner.Tests.Cli;

/// <summary>Typos on the command line are errors with a suggestion; <c>--Relay:…=value</c> overrides still work.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task An_unknown_verb_is_an_error_that_suggests_the_nearest_verb_instead_of_starting_the_relay()
    {
        var (status, output, errors) = await CliRun.RunAsync("qeueu", "list");

        Assert.NotEqual(0, status);
        Assert.Contains("'qeueu'", errors);
        Assert.Contains("queue", output.Split('\n').SkipWhile(l => !l.Contains("'qeueu'", StringComparison.Ordinal)).Skip(1).FirstOrDefault() ?? string.Empty);
    }

    [Theory]
    [InlineData("--keyspath", "keys", "generate", "--domain", "example.com", "--selector", "s1", "--keyspath", "mykeys")]
    [InlineData("--jsn", "queue", "list", "--jsn")]
    [InlineData("--form", "send", "--form", "a@example.com", "--to", "b@example.org")]
    public async Task An_unknown_option_is_an_error_naming_it(string unknown, params string[] args)
    {
        var (status, _, errors) = await CliRun.RunAsync(args);

        Assert.NotEqual(0, status);
        Assert.Contains($"'{unknown}'", errors);
    }

    [Fact]
    public async Task A_typo_in_an_option_is_answered_with_the_option_meant()
    {
        var (_, output, _) = await CliRun.RunAsync("queue", "list", "--jsn");

        Assert.Contains("--json", output);
    }

    [Fact]
    public async Task An_override_without_a_value_is_refused_with_its_form()
    {
        var (status, _, errors) = await CliRun.RunAsync("queue", "list", "--Relay:Queue:Path");

        Assert.NotEqual(0, status);
        Assert.Contains("--Relay:Section:Key=value", errors);
    }

    [Fact]
    public async Task A_relay_key_that_no_option_binds_stops_the_start_and_names_the_key_meant()
    {
        var (status, _, errors) = await CliRun.RunAsync("--Relay:Smtp:Prot=29025", "--Relay:Admin:Urls=");

        Assert.Equal(78, status);
        Assert.Equal("relaysigner: invalid configuration: Relay:Smtp:Prot is not a setting; did you mean Relay:Smtp:Port?", errors.Trim());
    }

    [Fact]
    public async Task A_verb_refuses_an_unknown_relay_key_too()
    {
        var (status, _, errors) = await CliRun.RunAsync("queue", "list", "--Relay:Queue:Pth=somewhere");

        Assert.Equal(78, status);
        Assert.Contains("Relay:Queue:Pth is not a setting; did you mean Relay:Queue:Path?", errors);
    }

    [Fact]
    public async Task Every_invalid_option_is_listed_at_once_on_its_own_line_without_a_stack_trace()
    {
        var (status, _, errors) = await CliRun.RunAsync("run", "--Relay:Smtp:Port=-5", "--Relay:Delivery:MaxAge=-1", "--Relay:Admin:Urls=");

        Assert.Equal(78, status);
        Assert.Equal(
            ["relaysigner: invalid configuration: Relay:Smtp:Port must be between 0 and 65535.",
             "relaysigner: invalid configuration: Relay:Delivery:MaxAge must be positive."],
            errors.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
