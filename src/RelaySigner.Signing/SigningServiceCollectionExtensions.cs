using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Signing;
using RelaySigner.Core.Telemetry;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Guard;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Signing;

public static class SigningServiceCollectionExtensions
{
    public static IServiceCollection AddRelaySigning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DkimOptions>().Bind(configuration.GetSection(DkimOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DkimOptions>, DkimOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RelayMetrics>();
        services.AddSingleton(PublicSuffixList.Shipped);
        services.AddSingleton<DkimKeyStore>();
        services.AddSingleton<AlignedKeyResolver>();
        services.AddSingleton<ReturnPathDomains>();
        services.AddSingleton<PublishedKeyGuard>();
        services.AddHostedService(sp => sp.GetRequiredService<PublishedKeyGuard>());
        services.AddSingleton<IMessageSigner, MessageSigner>();
        return services;
    }
}
