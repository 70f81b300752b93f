using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RelaySigner.Intake.Listening;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>The real relay host, started in-process on a free loopback port with its queue in a given folder.</summary>
internal sealed class RelayUnderTest : IAsyncDisposable
{
    private readonly IHost _host;
    private Task? _stopped;

    private RelayUnderTest(IHost host, CapturingLoggerProvider logs)
    {
        _host = host;
        Logs = logs;
        Port = host.Services.GetRequiredService<BoundEndpoints>().All.Single().Port;
    }

    public int Port { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _host.Services;

    /// <param name="settings">Extra configuration, e.g. ("Relay:Smtp:AllowedNetworks:0", "10.0.0.0/8").</param>
    public static async Task<RelayUnderTest> StartAsync(string queuePath, IPEndPoint smarthost, params (string Key, string Value)[] settings)
    {
        string[] args =
        [
            "--Relay:Smtp:Address=127.0.0.1",
            "--Relay:Smtp:Port=0",
            "--Relay:Admin:Urls=http://127.0.0.1:0",
            $"--Relay:Queue:Path={queuePath}",
            $"--Relay:Dkim:KeysPath={RepositoryRoot.KeysExample}",
            $"--Relay:Delivery:Smarthost={smarthost}",
            "--Relay:Delivery:RetrySchedule:0=00:00:01",
            "--Logging:LogLevel:Default=Warning",
            .. settings.Select(s => $"--{s.Key}={s.Value}"),
        ];
        var builder = RelayHost.CreateBuilder(args);
        var logs = new CapturingLoggerProvider();
        builder.Logging.AddProvider(logs);
        builder.Logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Information);
        var host = builder.Build();
        await host.StartAsync();
        return new RelayUnderTest(host, logs);
    }

    /// <summary>Stops the host as SIGTERM would (the first call; later calls and dispose wait for the same stop).</summary>
    public Task StopAsync()
    {
        lock (_host)
        {
            return _stopped ??= _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
