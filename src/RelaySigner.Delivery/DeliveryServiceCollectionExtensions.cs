using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Delivery;
using RelaySigner.Core.Queue;
using RelaySigner.Core.Signing;
using RelaySigner.Core.Telemetry;
using RelaySigner.Delivery.Bounces;
using RelaySigner.Delivery.Routing;
using RelaySigner.Delivery.Scheduling;
using RelaySigner.Delivery.Transport;

namespace RelaySigner.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddRelayDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeliveryWakeup>();
        services.TryAddSingleton<RelayMetrics>();
        services.AddSingleton<IDestinationResolver, DestinationResolver>();
        // A shared queue registers its own count of sessions and pace over the cluster before this (AddRelayQueue).
        services.TryAddSingleton<IDestinationSlots, LocalDestinationSlots>();
        services.TryAddSingleton<IDestinationRate>(sp => new LocalDestinationRate(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new DestinationLimits(
            sp.GetRequiredService<IOptions<DeliveryOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DestinationLimits>>(), sp.GetRequiredService<IDestinationSlots>(),
            sp.GetRequiredService<IDestinationRate>()));
        services.AddSingleton<ISmtpTransport, SmtpTransport>();
        services.AddSingleton(sp => new RetrySchedule(sp.GetRequiredService<IOptions<DeliveryOptions>>().Value, Random.Shared));
        // Reports are signed by the relay's own domain (its EHLO name) where the key store has an aligned key.
        services.AddSingleton(sp => new DeliveryStatusNotification(
            sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.EffectiveHeloName, sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IMessageSigner>()));
        services.AddSingleton<MessageDelivery>();
        services.AddHostedService<DeliveryWorker>();
        return services;
    }
}
