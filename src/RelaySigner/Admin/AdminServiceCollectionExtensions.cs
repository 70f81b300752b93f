using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using RelaySigner.Admin.Auth;
using RelaySigner.Admin.Dashboard;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Net;
using RelaySigner.Core.Telemetry;
using RelaySigner.Delivery;
using RelaySigner.Dmarc;
using RelaySigner.Dmarc.Lookup;
using RelaySigner.Dmarc.Records;
using RelaySigner.Dmarc.Reports.Store;
using RelaySigner.Queue;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Admin;

public static class AdminServiceCollectionExtensions
{
    public static IServiceCollection AddRelayAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        // Bound once, by AddRelayDmarcReports (a second Bind would append every list entry again).
        services.AddOptions<DmarcOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DmarcOptions>, DmarcOptionsValidator>();
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.SectionName))
            .Validate(o => o.MaxOtherDestinations >= 0, $"{MetricsOptions.SectionName}:MaxOtherDestinations must be 0 or more.")
            .ValidateOnStart();
        // RelayMetrics, registered by the stages, takes it.
        services.AddSingleton(sp =>
        {
            var metrics = sp.GetRequiredService<IOptions<MetricsOptions>>().Value;
            return new DestinationLabels(metrics.Destinations, metrics.MaxOtherDestinations);
        });
        services.AddSingleton<AdminAddresses>();
        services.AddSingleton<AdminToken>();
        AddDashboard(services);
        services.AddSingleton<ReadinessCheck>();
        services.AddHostedService<AdminListenerService>();
        return services;
    }

    /// <summary>What the dashboard reads; the report store and the feedback rates only when a stage registered them.</summary>
    private static void AddDashboard(IServiceCollection services)
    {
        services.AddSingleton(sp => new PublishedRecords(
            new DmarcRecordLookup(new TxtLookup(HostEndpoint.ParseResolver(sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.DnsServer))),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PublishedRecords>>()));
        services.AddSingleton(sp => new DashboardSources(
            sp.GetService<IReportStore>(),
            sp.GetRequiredService<IQueueAdministration>(),
            sp.GetService<IFeedbackRates>(),
            sp.GetRequiredService<DkimKeyStore>(),
            new SourceClassifier(sp.GetRequiredService<IOptions<DeliveryOptions>>().Value, sp.GetRequiredService<IOptions<DmarcOptions>>().Value),
            new PtrNames(sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.DnsServer, sp.GetRequiredService<TimeProvider>()),
            sp.GetRequiredService<PublishedRecords>(),
            sp.GetRequiredService<TimeProvider>()));
    }
}
