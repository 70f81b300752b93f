using System.Net;
using System.Net.Sockets;

namespace RelaySigner.Tests.Cli;

/// <summary>The test tools <c>send</c> and <c>sink</c> answer bad input with a line and an exit code, not a crash.</summary>
public sealed class TestToolsTests
{
    [Theory]
    [InlineData("--to", "not an address")]
    [InlineData("--to", "Someone <b@example.org>")]
    [InlineData("--from", "nobody")]
    public async Task Send_refuses_what_is_not_an_address_with_exit_code_2(string option, string value)
    {
        string[] args = option == "--to"
            ? ["send", "--server", "127.0.0.1:9", "--to", value]
            : ["send", "--server", "127.0.0.1:9", "--from", value, "--to", "b@example.org"];

        var (status, _, errors) = await CliRun.RunAsync(args);

        Assert.Equal(2, status);
        Assert.Equal($"error: {option} '{value}' is not an address like name@example.com", errors.Trim());
    }

    [Fact]
    public async Task Sink_on_a_port_in_use_names_the_port_and_exits()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (status, _, errors) = await CliRun.RunAsync("sink", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, status);
        Assert.StartsWith($"error: SMTP listener 127.0.0.1:{port}: ", errors);
        Assert.DoesNotContain(" at ", errors);
    }
}
