using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RelaySigner.Intake.Listening;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// The real relay host for intake tests: every listener on a free loopback port, a self-signed certificate,
/// optional AUTH users, and optionally a fake clock for the session timeouts. Delivers to <c>smarthost</c>.
/// </summary>
internal sealed class IntakeRelay : IAsyncDisposable
{
    /// <summary>The password of every user made with <see cref="User"/>.</summary>
    public const string Password = "correct horse battery staple";

    /// <summary>Few iterations: the tests check the scheme, not the cost.</summary>
    private static readonly string PasswordHashOfPassword = RelaySigner.Intake.Auth.PasswordHash.Create(Password, iterations: 1000);

    private readonly IHost _host;
    private readonly TempFolder _folder;

    private IntakeRelay(IHost host, TempFolder folder, CapturingLoggerProvider logs)
    {
        _host = host;
        _folder = folder;
        Logs = logs;
        var bound = host.Services.GetRequiredService<BoundEndpoints>();
        Port = bound.Of(ListenerKind.Plain).Port;
        SubmissionPort = bound.Of(ListenerKind.Submission).Port;
        ImplicitTlsPort = bound.Of(ListenerKind.ImplicitTls).Port;
    }

    public int Port { get; }

    public int SubmissionPort { get; }

    public int ImplicitTlsPort { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>Settings for user number <paramref name="n"/> with <see cref="Password"/> and the given From domains.</summary>
    public static (string, string)[] User(int n, string name, params string[] domains) =>
    [
        ($"Relay:Smtp:Users:{n}:Name", name),
        ($"Relay:Smtp:Users:{n}:PasswordHash", PasswordHashOfPassword),
        .. domains.Select((d, i) => ($"Relay:Smtp:Users:{n}:AllowedFromDomains:{i}", d)),
    ];

    public static async Task<IntakeRelay> StartAsync(IPEndPoint smarthost, TimeProvider? time = null, params (string Key, string Value)[] settings)
    {
        var folder = new TempFolder();
        var (certificate, key) = TestCertificate.WritePem(folder.Path);
        var (host, logs) = await TestRelayHost.StartAsync(
            Path.Combine(folder.Path, "queue"),
            smarthost,
            [
                "--Relay:Smtp:SubmissionPort=0",
                "--Relay:Smtp:ImplicitTlsPort=0",
                $"--Relay:Smtp:Tls:CertificatePath={certificate}",
                $"--Relay:Smtp:Tls:KeyPath={key}",
                "--Relay:Smtp:ServerName=relay.test",
            ],
            settings,
            LogLevel.Trace,
            time);
        return new IntakeRelay(host, folder, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _folder.Dispose();
    }
}
