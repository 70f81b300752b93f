using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Inbound;
using RelaySigner.Feedback.Unsubscribe;
using RelaySigner.Signing;

namespace RelaySigner.Unsubscribe;

public static class UnsubscribeServiceCollectionExtensions
{
    /// <summary>
    /// The unsubscribe endpoint (its options and tokens come with <c>AddRelayFeedback</c>) and the mailto handler,
    /// which owns <c>u-*@</c> the return-path domains of <c>Relay:Dkim:Domains</c>.
    /// </summary>
    public static IServiceCollection AddRelayUnsubscribe(this IServiceCollection services)
    {
        services.AddSingleton<UnsubscribeAddresses>();
        services.AddHostedService<UnsubscribeListenerService>();
        services.AddSingleton<IInboundRecipientHandler>(sp => new MailtoUnsubscribeHandler(
            [.. sp.GetRequiredService<IOptions<DkimOptions>>().Value.Domains.Values
                .Select(d => d.ReturnPathDomain).OfType<string>().Where(d => d.Length > 0)],
            sp.GetRequiredService<UnsubscribeTokenCodec>(),
            sp.GetRequiredService<UnsubscribeRecorder>(),
            sp.GetRequiredService<ILogger<MailtoUnsubscribeHandler>>()));
        return services;
    }
}
