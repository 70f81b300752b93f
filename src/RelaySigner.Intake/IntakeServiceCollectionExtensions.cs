using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Queue;
using RelaySigner.Core.Telemetry;
using RelaySigner.Intake.Auth;
using RelaySigner.Intake.Inbound;
using RelaySigner.Intake.Listening;
using RelaySigner.Intake.Policy;
using SmtpServer.Authentication;
using SmtpServer.Storage;

namespace RelaySigner.Intake;

public static class IntakeServiceCollectionExtensions
{
    public static IServiceCollection AddRelayIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeliveryWakeup>();
        services.TryAddSingleton<RelayMetrics>();
        services.AddOptions<ShutdownOptions>().Bind(configuration.GetSection(ShutdownOptions.SectionName))
            .Validate(o => o.Timeout >= TimeSpan.Zero, $"{ShutdownOptions.SectionName}:Timeout must not be negative.")
            .ValidateOnStart();
        // The host waits for intake's drain and then for the stages after it.
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = shutdown.Value.Timeout + ShutdownOptions.Grace);
        services.AddSingleton<IntakeDrain>();
        services.AddSingleton<BoundEndpoints>();
        services.AddSingleton<ConnectionLimiter>();
        services.AddSingleton<ServerCertificateSource>();
        services.AddSingleton<NoDelayEndpointListenerFactory>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<AuthFailureThrottle>();
        services.AddSingleton<RelayAccessPolicy>();
        services.AddSingleton<RelayCommandFactory>();
        services.AddSingleton<IMailboxFilter, RelayMailboxFilter>();
        services.AddSingleton<SuppressedRecipients>();
        services.AddSingleton<IMessageStore, RelayMessageStore>();
        // Never SmtpServer's default authenticator: it accepts any password.
        services.AddSingleton<IUserAuthenticator, ConfiguredUserAuthenticator>();
        services.AddHostedService<SmtpListenerService>();

        // The inbound listener (the way back): off unless Relay:Inbound:Port is set; its handlers come from the stages
        // that own addresses (bounces, reports, unsubscribes), registered as IInboundRecipientHandler.
        services.AddOptions<InboundOptions>().Bind(configuration.GetSection(InboundOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InboundOptions>, InboundOptionsValidator>();
        services.AddSingleton<InboundMailboxFilter>();
        services.AddSingleton<InboundMessageStore>();
        services.AddHostedService<InboundListenerService>();
        return services;
    }
}
