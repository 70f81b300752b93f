using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Inbound;
using RelaySigner.Feedback.Bulk;
using RelaySigner.Feedback.Events;
using RelaySigner.Feedback.Inbound;
using RelaySigner.Feedback.Parsing;
using RelaySigner.Feedback.Tokens;
using RelaySigner.Feedback.Unsubscribe;

namespace RelaySigner.Feedback;

public static class FeedbackServiceCollectionExtensions
{
    /// <summary>
    /// Options of the way back, the VERP codec and the unsubscribe tokens (whose key files are read, or created, when
    /// a codec is first asked for), the bounce handler of the inbound listener, the bulk-mail guard, the events webhook
    /// and the feedback gauges (<see cref="EventsServiceCollectionExtensions.AddRelayEvents"/>).
    /// </summary>
    public static IServiceCollection AddRelayFeedback(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BounceOptions>().Bind(configuration.GetSection(BounceOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BounceOptions>, BounceOptionsValidator>();
        services.AddSingleton(sp => new VerpTokenCodec(BounceSecret.LoadOrCreate(sp.GetRequiredService<IOptions<BounceOptions>>().Value.SecretPath)));
        services.AddRelayEvents(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new FeedbackParser());
        // Resolved with the inbound listener, only when it is on; it needs the suppression list and the seams the
        // executable answers (ISentMessages, IReturnPathDirectory, IBounceForwarding).
        services.AddSingleton<IInboundRecipientHandler, BounceHandler>();

        services.AddOptions<UnsubscribeOptions>().Bind(configuration.GetSection(UnsubscribeOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<UnsubscribeOptions>, UnsubscribeOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new UnsubscribeTokenCodec(UnsubscribeKey.LoadOrCreate(sp.GetRequiredService<IOptions<UnsubscribeOptions>>().Value.KeyPath)));
        services.AddSingleton<IUnsubscribeLinks>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<UnsubscribeOptions>>();
            var codec = string.IsNullOrWhiteSpace(options.Value.BaseUrl) ? null : sp.GetRequiredService<UnsubscribeTokenCodec>();
            return new UnsubscribeLinks(options, codec, sp.GetRequiredService<TimeProvider>());
        });
        // Resolved by the unsubscribe endpoint and the inbound listener only: it needs the suppression list.
        services.AddSingleton<UnsubscribeRecorder>();

        services.AddOptions<BulkOptions>().Bind(configuration.GetSection(BulkOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BulkOptions>, BulkOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<ComplaintRateGuard>();
        services.AddSingleton<IBulkMailGate>(sp => sp.GetRequiredService<ComplaintRateGuard>());
        services.AddHostedService(sp => sp.GetRequiredService<ComplaintRateGuard>());
        return services;
    }
}
