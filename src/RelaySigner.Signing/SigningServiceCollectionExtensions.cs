using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RelaySigner.Core.Signing;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Signing;

public static class SigningServiceCollectionExtensions
{
    public static IServiceCollection AddRelaySigning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DkimOptions>().Bind(configuration.GetSection(DkimOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.KeysPath), "Relay:Dkim:KeysPath must name a folder")
            .ValidateOnStart();
        services.AddSingleton<DkimKeyStore>();
        services.AddSingleton<AlignedKeyResolver>();
        services.AddSingleton<IMessageSigner, MessageSigner>();
        return services;
    }
}
