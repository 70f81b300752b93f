using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RelaySigner.Feedback.Events;
using RelaySigner.Feedback.Tokens;

namespace RelaySigner.Feedback;

public static class FeedbackServiceCollectionExtensions
{
    /// <summary>
    /// Options of the way back and the VERP codec, whose key file is read (or created) when the codec is first
    /// asked for; the events webhook and the feedback gauges (<see cref="EventsServiceCollectionExtensions.AddRelayEvents"/>).
    /// </summary>
    public static IServiceCollection AddRelayFeedback(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BounceOptions>().Bind(configuration.GetSection(BounceOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BounceOptions>, BounceOptionsValidator>();
        services.AddSingleton(sp => new VerpTokenCodec(BounceSecret.LoadOrCreate(sp.GetRequiredService<IOptions<BounceOptions>>().Value.SecretPath)));
        services.AddRelayEvents(configuration);
        return services;
    }
}
