using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Telemetry;
using RelaySigner.Feedback.Metrics;

namespace RelaySigner.Feedback.Events;

public static class EventsServiceCollectionExtensions
{
    /// <summary>
    /// <c>Relay:Events</c>, the wakeup the stores signal, the feedback gauges and, when a webhook URL is configured,
    /// the sender. The sender needs the events outbox (<see cref="IEventOutbox"/>) of the queue's store; the gauges
    /// use the stores that are registered and skip the others.
    /// </summary>
    public static IServiceCollection AddRelayEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventsOptions>().Bind(configuration.GetSection(EventsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EventsOptions>, EventsOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RelayMetrics>();
        services.TryAddSingleton<EventsWakeup>();
        services.AddMetrics();
        services.AddHostedService<FeedbackGauges>();

        if (string.IsNullOrWhiteSpace(configuration[$"{EventsOptions.SectionName}:{nameof(EventsOptions.WebhookUrl)}"]))
        {
            return services;
        }

        services.AddHttpClient(WebhookSender.HttpClientName, client =>
            {
                // WebhookSender times each POST on the relay's clock instead.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("RelaySigner");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // A redirect would resend the signed event to wherever the answer points; only the configured URL gets it,
                // and a 3xx counts as not accepted (retried, logged) so the operator fixes the URL.
                AllowAutoRedirect = false,
                UseCookies = false,
                ConnectTimeout = sp.GetRequiredService<IOptions<EventsOptions>>().Value.Timeout,
                AutomaticDecompression = DecompressionMethods.None,
            });
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<WebhookSender>(
            sp,
            sp.GetService<IEventOutbox>() ?? throw new InvalidOperationException(
                $"{EventsOptions.SectionName}:WebhookUrl is set but this relay has no events outbox (IEventOutbox) registered; leave the URL empty to run without events")));
        return services;
    }
}
