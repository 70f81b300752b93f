using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Inbound;

using RelaySigner.Dmarc;

namespace RelaySigner.Dmarc.Reports.Collection;

public static class DmarcReportsServiceCollectionExtensions
{
    /// <summary>
    /// The two ways reports arrive by themselves: the inbound listener's handler for <c>Relay:Dmarc:ReportAddresses</c>
    /// and, when <c>Relay:Dmarc:Imap:Host</c> is set, the IMAP collector in the background. Both store into the
    /// <see cref="Store.IReportStore"/> the queue registers.
    /// </summary>
    public static IServiceCollection AddRelayDmarcReports(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DmarcOptions>().Bind(configuration.GetSection(DmarcOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DmarcOptions>, DmarcReportOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ReportMailImporter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInboundRecipientHandler, ReportMailHandler>());
        if (!string.IsNullOrEmpty(configuration[$"{DmarcOptions.SectionName}:Imap:Host"]))
        {
            services.AddHostedService<ImapReportCollector>();
        }

        return services;
    }
}
