using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RelaySigner.Intake.Listening;

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
    public static Task<RelayUnderTest> StartAsync(string queuePath, IPEndPoint smarthost, params (string Key, string Value)[] settings) =>
        StartAsync(queuePath, smarthost, services: null, settings);

    /// <param name="services">Adds to the relay's services after its own, e.g. a stand-in store registered with TryAdd.</param>
    public static async Task<RelayUnderTest> StartAsync(string queuePath, IPEndPoint smarthost, Action<IServiceCollection>? services, params (string Key, string Value)[] settings)
    {
        var (host, logs) = await TestRelayHost.StartAsync(queuePath, smarthost, [], settings, LogLevel.Information, services: services);
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
