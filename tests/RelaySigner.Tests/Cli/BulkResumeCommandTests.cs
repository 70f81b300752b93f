using RelaySigner.Core.Feedback;
using RelaySigner.Queue;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Cli;

/// <summary><c>relaysigner bulk resume</c> on the embedded store.</summary>
public sealed class BulkResumeCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Resume_lets_a_paused_domain_through_and_says_so_and_a_second_resume_exits_1()
    {
        var store = new SqliteBulkPauseStore(_folder.Path);
        await store.PauseAsync(new BulkPause("example.com", DateTimeOffset.UtcNow, 0.004), CancellationToken.None);

        var first = await CliRun.RunAsync("bulk", "resume", "--domain", "Example.com.", $"--Relay:Queue:Path={_folder.Path}");
        var second = await CliRun.RunAsync("bulk", "resume", "--domain", "example.com", $"--Relay:Queue:Path={_folder.Path}");

        Assert.Equal((0, "example.com: bulk mail resumed; running relays let it through within a minute"), (first.Status, first.Output.Trim()));
        Assert.False(Assert.Single(await store.ListAsync(CancellationToken.None)).IsPaused);
        Assert.Equal((1, "example.com: bulk mail was not paused, nothing changed"), (second.Status, second.Errors.Trim()));
    }

    [Fact]
    public async Task Resume_without_a_queue_is_a_configuration_error()
    {
        var (status, _, errors) = await CliRun.RunAsync("bulk", "resume", "--domain", "example.com", $"--Relay:Queue:Path={Path.Combine(_folder.Path, "none")}");

        Assert.Equal(78, status);
        Assert.Contains("no queue at", errors);
    }
}
