using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// Starts the real relay host in-process for a test: loopback only, free ports, the demo keys, everything delivered
/// to <c>smarthost</c>, a 1 s retry, and its log lines captured. The fixtures add what their tests need on top.
/// </summary>
internal static class TestRelayHost
{
    /// <param name="extraArguments">Fixture-specific settings, as <c>--Key=value</c>, before the test's own.</param>
    /// <param name="settings">The test's settings; they override everything else.</param>
    /// <param name="captureLevel">The lowest level the captured log keeps.</param>
    /// <param name="time">A fake clock to use instead of the system's.</param>
    /// <param name="services">Adds to the relay's services after its own (TryAdd keeps the relay's where it has one).</param>
    public static async Task<(IHost Host, CapturingLoggerProvider Logs)> StartAsync(
        string queuePath,
        IPEndPoint smarthost,
        IEnumerable<string> extraArguments,
        IEnumerable<(string Key, string Value)> settings,
        LogLevel captureLevel,
        TimeProvider? time = null,
        Action<IServiceCollection>? services = null)
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
            .. extraArguments,
            .. settings.Select(s => $"--{s.Key}={s.Value}"),
        ];
        var builder = RelayHost.CreateBuilder(args);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        services?.Invoke(builder.Services);

        var logs = new CapturingLoggerProvider();
        builder.Logging.AddProvider(logs);
        builder.Logging.AddFilter<CapturingLoggerProvider>(null, captureLevel);
        var host = builder.Build();
        await host.StartAsync();
        return (host, logs);
    }
}
