using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RelaySigner.Feedback.Events;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RelaySigner.Core.Inbound;
using RelaySigner.Feedback.Inbound;
using RelaySigner.Feedback.Parsing;
using RelaySigner.Feedback.Tokens;

namespace RelaySigner.Feedback;

public static class FeedbackServiceCollectionExtensions
{
    /// <summary>
    /// Options of the way back, the VERP codec (whose key file is read, or created, when the codec is first asked for),
    /// the bounce handler of the inbound listener, the events webhook and the feedback gauges
    /// (<see cref="EventsServiceCollectionExtensions.AddRelayEvents"/>).
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
        return services;
    }
}
