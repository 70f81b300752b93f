using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Queue;
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
        services.AddSingleton<IDestinationResolver, DestinationResolver>();
        services.AddSingleton<ISmtpTransport, SmtpTransport>();
        services.AddSingleton<MessageDelivery>();
        services.AddHostedService<DeliveryWorker>();
        return services;
    }
}
