using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RelaySigner.Dmarc.Reports.Store;
using RelaySigner.Intake.Auth;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests.Fixtures;

/// <summary>
/// A relay with the dashboard's parts: an admin user and a bearer token, a report store loaded with
/// <see cref="KnownReports"/> (unless told otherwise), a DNS server that publishes their records, and a sink.
/// </summary>
internal sealed class DashboardRelay : IAsyncDisposable
{
    public const string User = "postmaster";
    public const string Password = "correct horse battery staple";

    private readonly TempFolder _folder = new();
    private UnboundServer? _dns;
    private SmtpSink? _sink;

    public RelayUnderTest Relay { get; private set; } = null!;

    public string TokenPath => Path.Combine(_folder.Path, "admin-token");

    public string Token => File.ReadAllLines(TokenPath)[0];

    public Uri BaseAddress => Relay.Services.GetRequiredService<RelaySigner.Admin.AdminAddresses>().Urls.Single();

    /// <param name="withStore">True: the known reports are imported into the relay's own store. False: the relay's store is
    /// taken away, as in a relay built without the reports stage.</param>
    public static async Task<DashboardRelay> StartAsync(bool withStore = true, params (string Key, string Value)[] settings)
    {
        var relay = new DashboardRelay();
        relay._dns = await UnboundServer.StartAsync(KnownReports.Zone);
        relay._sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        // A low iteration count keeps each login fast; the format and the check are the production ones.
        (string, string)[] all =
        [
            ("Relay:Admin:Users:0:Name", User),
            ("Relay:Admin:Users:0:PasswordHash", PasswordHash.Create(Password, iterations: 1000)),
            ("Relay:Admin:TokenPath", relay.TokenPath),
            ("Relay:Delivery:DnsServer", relay._dns.Endpoint.ToString()),
            .. KnownReports.Settings,
            .. settings,
        ];
        relay.Relay = await RelayUnderTest.StartAsync(Path.Combine(relay._folder.Path, "queue"), relay._sink.Endpoint,
            withStore ? null : services => services.RemoveAll<IReportStore>(), all);
        if (withStore)
        {
            // Into the relay's own report store (SQLite, in its queue's file), as `dmarc import` would.
            var store = relay.Relay.Services.GetRequiredService<IReportStore>();
            foreach (var report in KnownReports.All(DateTimeOffset.UtcNow))
            {
                await store.ImportAsync(report, CancellationToken.None);
            }
        }

        return relay;
    }

    public async ValueTask DisposeAsync()
    {
        await Relay.DisposeAsync();
        if (_sink is not null)
        {
            await _sink.DisposeAsync();
        }

        if (_dns is not null)
        {
            await _dns.DisposeAsync();
        }

        _folder.Dispose();
    }
}
