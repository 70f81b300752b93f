using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RelaySigner.Core.Queue;
using RelaySigner.Intake.Listening;
using RelaySigner.Intake.Policy;
using SmtpServer.Authentication;
using SmtpServer.Storage;

namespace RelaySigner.Intake;

public static class IntakeServiceCollectionExtensions
{
    public static IServiceCollection AddRelayIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.SectionName))
            .Validate(o => IPAddress.TryParse(o.Address, out _), "Relay:Smtp:Address must be an IP address")
            .Validate(o => o.Port is >= 0 and <= 65535, "Relay:Smtp:Port must be 0-65535")
            .Validate(o => o.MaxMessageSize > 0, "Relay:Smtp:MaxMessageSize must be positive")
            .Validate(o => o.EffectiveAllowedNetworks.All(n => IPNetwork.TryParse(n, out _)), "Relay:Smtp:AllowedNetworks must be CIDR networks such as 10.0.0.0/8")
            .ValidateOnStart();
        services.TryAddSingleton<DeliveryWakeup>();
        services.AddSingleton<BoundEndpoints>();
        services.AddSingleton<NoDelayEndpointListenerFactory>();
        services.AddSingleton<RelayAccessPolicy>();
        services.AddSingleton<IMailboxFilter, RelayMailboxFilter>();
        services.AddSingleton<IMessageStore, RelayMessageStore>();
        services.AddSingleton<IUserAuthenticator, RefusingUserAuthenticator>();
        services.AddHostedService<SmtpListenerService>();
        return services;
    }
}
