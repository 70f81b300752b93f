using System.Net;
using System.Net.Sockets;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Cli;

/// <summary>A relay that cannot start says why in one line per reason, once, without a stack trace, and exits non-zero.</summary>
public sealed class StartupFailureTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string[] Run(params string[] settings) =>
    [
        "run", "--Relay:Smtp:Address=127.0.0.1", "--Relay:Smtp:Port=0", "--Relay:Admin:Urls=",
        $"--Relay:Queue:Path={Path.Combine(_folder.Path, "queue")}", $"--Relay:Dkim:KeysPath={RepositoryRoot.KeysExample}", .. settings,
    ];

    [Fact]
    public async Task A_second_relay_on_the_same_queue_says_so_once()
    {
        await using var first = await RelayProcess.StartAsync(Path.Combine(_folder.Path, "queue"), _folder.Path);

        var (status, output, errors) = await CliProcess.RunAsync(_folder.Path, new Dictionary<string, string?>(), Run());

        Assert.Equal(1, status);
        var lock_ = Path.Combine(_folder.Path, "queue", "queue.lock");
        Assert.Equal($"relaysigner: cannot start: The queue in {Path.Combine(_folder.Path, "queue")} is in use by another relay ({lock_} is locked); one queue folder per relay.", errors.Trim());
        AssertNoStackTraceAndNoSecondReport(output, "in use by another relay");
    }

    [Fact]
    public async Task A_port_in_use_is_named_with_its_address()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (status, output, errors) = await CliProcess.RunAsync(_folder.Path, new Dictionary<string, string?>(), Run($"--Relay:Smtp:Port={port}"));

        Assert.Equal(1, status);
        Assert.Equal($"relaysigner: cannot start: SMTP listener 127.0.0.1:{port}: Address already in use", errors.Trim());
        AssertNoStackTraceAndNoSecondReport(output, "Address already in use");
    }

    [Fact]
    public async Task Invalid_options_are_all_listed_before_anything_starts()
    {
        var (status, output, errors) = await CliProcess.RunAsync(_folder.Path, new Dictionary<string, string?>(),
            Run("--Relay:Smtp:MaxRecipients=0", "--Relay:Delivery:MaxAge=-1", "--Relay:Smtp:Prot=25"));

        Assert.Equal(78, status);
        Assert.Equal(3, errors.Trim().Split('\n').Length);
        Assert.All(errors.Trim().Split('\n'), line => Assert.StartsWith("relaysigner: invalid configuration: ", line));
        Assert.Contains("Relay:Smtp:Prot is not a setting; did you mean Relay:Smtp:Port?", errors);
        Assert.Contains("Relay:Delivery:MaxAge must be positive.", errors);
        AssertNoStackTraceAndNoSecondReport(output, "MaxAge");
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "queue")));
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>The log (standard output) neither repeats the reason nor shows a stack trace.</summary>
    private static void AssertNoStackTraceAndNoSecondReport(string output, string reason)
    {
        Assert.DoesNotContain(reason, output);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Exception", output);
    }
}
