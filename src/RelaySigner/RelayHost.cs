using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RelaySigner.Admin;
using RelaySigner.Configuration;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Delivery;
using RelaySigner.Core.Signing;
using RelaySigner.Delivery;
using RelaySigner.Dmarc.Reports.Collection;
using RelaySigner.Feedback;
using RelaySigner.Feedback.Inbound;
using RelaySigner.Feedback.Tokens;
using RelaySigner.Feedback.Unsubscribe;
using RelaySigner.Intake;
using RelaySigner.Operations;
using RelaySigner.Queue;
using RelaySigner.Signing;
using RelaySigner.Signing.Alignment;
using RelaySigner.Unsubscribe;
using RelaySigner.Wiring;

namespace RelaySigner;

/// <summary>The composition root: the only place where the pipeline stages are wired together.</summary>
public static class RelayHost
{
    /// <param name="args">Configuration overrides such as <c>--Relay:Smtp:Port=2526</c>.</param>
    /// <param name="configFolder">The <c>--config DIR</c> of the command line, if given.</param>
    public static HostApplicationBuilder CreateBuilder(IEnumerable<string> args, string? configFolder = null)
    {
        var builder = RelayConfiguration.CreateBuilder(args, configFolder);
        var configuration = builder.Configuration;
        // Admin first: hosted services stop in reverse order, so /readyz answers "stopping" until the end.
        builder.Services
            .AddRelayAdmin(configuration)
            .AddRelayQueue(configuration)
            .AddRelaySigning(configuration)
            .AddRelayIntake(configuration)
            .AddRelayDelivery(configuration)
            .AddRelayFeedback(configuration)
            .AddRelayUnsubscribe()
            .AddRelayDmarcReports(configuration)
            .AddSingleton<IPublishedKeyCheck, DnsPublishedKeyCheck>()
            .AddSingleton<ISendingDomains, SigningKeyDomains>()
            .AddSingleton<IReturnPaths>(sp => new VerpReturnPaths(
                sp.GetRequiredService<ReturnPathDomains>(), new Lazy<VerpTokenCodec>(sp.GetRequiredService<VerpTokenCodec>)))
            .AddSingleton<ISentMessages, QueueSentMessages>()
            .AddSingleton<IReturnPathDirectory, SigningReturnPathDirectory>()
            .AddSingleton<IBounceForwarding, QueuedBounceForwarding>();
        builder.Services.AddOptions<ConfigurationKeysCheck>().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ConfigurationKeysCheck>, ConfigurationKeysValidator>();
        ResolvePathsAgainstConfigurationFolder(builder.Services, builder.Environment);
        builder.Services.AddHostedService<StartupSummary>();
        return builder;
    }

    /// <summary>Relative paths mean the same folder to the relay and to a verb run from elsewhere.</summary>
    private static void ResolvePathsAgainstConfigurationFolder(IServiceCollection services, IHostEnvironment environment)
    {
        services.PostConfigure<QueueOptions>(o => o.Path = RelayConfiguration.Resolve(o.Path, environment)!);
        services.PostConfigure<DkimOptions>(o => o.KeysPath = RelayConfiguration.Resolve(o.KeysPath, environment)!);
        services.PostConfigure<BounceOptions>(o => o.SecretPath = RelayConfiguration.Resolve(o.SecretPath, environment)!);
        services.PostConfigure<AdminOptions>(o => o.TokenPath = RelayConfiguration.Resolve(o.TokenPath, environment));
        services.PostConfigure<UnsubscribeOptions>(o => o.KeyPath = RelayConfiguration.Resolve(o.KeyPath, environment)!);
        services.PostConfigure<Dmarc.DmarcOptions>(o =>
        {
            o.Imap.PasswordPath = RelayConfiguration.Resolve(o.Imap.PasswordPath, environment)!;
            o.Imap.TrustedCertificatePath = RelayConfiguration.Resolve(o.Imap.TrustedCertificatePath, environment);
        });
        services.PostConfigure<SmtpOptions>(o =>
        {
            o.Tls.CertificatePath = RelayConfiguration.Resolve(o.Tls.CertificatePath, environment);
            o.Tls.KeyPath = RelayConfiguration.Resolve(o.Tls.KeyPath, environment);
            o.Tls.PfxPath = RelayConfiguration.Resolve(o.Tls.PfxPath, environment);
        });
    }
}
