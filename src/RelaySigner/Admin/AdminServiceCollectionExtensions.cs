using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Admin;

public static class AdminServiceCollectionExtensions
{
    public static IServiceCollection AddRelayAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.SectionName))
            .Validate(o => o.UrlList.All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"),
                $"{AdminOptions.SectionName}:Urls must be absolute http(s) URLs separated by ';'.")
            .Validate(o => o.ReadinessTimeout > TimeSpan.Zero, $"{AdminOptions.SectionName}:ReadinessTimeout must be positive.")
            .ValidateOnStart();
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
        services.AddSingleton<ReadinessCheck>();
        services.AddHostedService<AdminListenerService>();
        return services;
    }
}
