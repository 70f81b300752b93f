using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Queue;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Cli;

/// <summary>
/// The admin verbs read exactly the relay's configuration: appsettings.json, appsettings.{Environment}.json, the
/// environment, the arguments, from the relay's configuration folder, whatever directory they are run from.
/// </summary>
public sealed class ConfigurationFolderTests : IAsyncLifetime
{
    private readonly TempFolder _deployment = new();
    private readonly TempFolder _elsewhere = new();

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_deployment.Path, "appsettings.json"), """{ "Relay": { "Queue": { "Path": "default-queue" } } }""");
        await File.WriteAllTextAsync(Path.Combine(_deployment.Path, "appsettings.Production.json"), """{ "Relay": { "Queue": { "Path": "production-queue" } } }""");
        await using var queue = new SqliteMessageQueue(Options.Create(new QueueOptions { Path = Path.Combine(_deployment.Path, "production-queue") }),
            TimeProvider.System, NullLogger<SqliteMessageQueue>.Instance);
        var content = Encoding.ASCII.GetBytes("From: app@example.com\r\n\r\nbody\r\n");
        await queue.EnqueueAsync(new Envelope("app@example.com", ["a@example.org"]), content, CancellationToken.None);
        await queue.EnqueueAsync(new Envelope("app@example.com", ["b@example.org"]), content, CancellationToken.None);
    }

    [Fact]
    public async Task Queue_list_reads_the_environments_settings_file_as_the_relay_does()
    {
        var (status, output, errors) = await CliProcess.RunAsync(_deployment.Path, Production(), "queue", "list");

        Assert.True(status == 0, errors);
        Assert.EndsWith("-- 2 messages, 2 recipients pending.", output.Trim());
    }

    [Fact]
    public async Task From_another_directory_config_names_the_deployment_and_its_relative_paths_mean_the_same_folders()
    {
        var (status, output, errors) = await CliProcess.RunAsync(_elsewhere.Path, Production(), "queue", "list", "--config", _deployment.Path);

        Assert.True(status == 0, errors);
        Assert.EndsWith("-- 2 messages, 2 recipients pending.", output.Trim());
        Assert.False(Directory.Exists(Path.Combine(_elsewhere.Path, "production-queue")));
    }

    [Fact]
    public async Task A_folder_without_a_queue_is_an_error_that_says_where_the_verb_looked()
    {
        var (status, output, errors) = await CliProcess.RunAsync(_elsewhere.Path, Production(), "queue", "list", "--config", _deployment.Path, "--Relay:Queue:Path=no-such-folder");

        Assert.Equal(78, status);
        Assert.Empty(output);
        Assert.Equal($"error: no queue at {Path.Combine(_deployment.Path, "no-such-folder")} (Relay:Queue:Path of the configuration in {_deployment.Path}); give --config DIR or --Relay:Queue:Path=…", errors.Trim());
    }

    [Fact]
    public async Task A_config_folder_that_does_not_exist_is_an_error()
    {
        var missing = Path.Combine(_elsewhere.Path, "missing");

        var (status, _, errors) = await CliProcess.RunAsync(_elsewhere.Path, Production(), "queue", "list", "--config", missing);

        Assert.Equal(78, status);
        Assert.Equal($"error: --config {missing}: no such folder", errors.Trim());
    }

    public Task DisposeAsync()
    {
        _deployment.Dispose();
        _elsewhere.Dispose();
        return Task.CompletedTask;
    }

    private static Dictionary<string, string?> Production() => new() { ["DOTNET_ENVIRONMENT"] = "Production" };
}
