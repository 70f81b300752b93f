using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RelaySigner.Signing;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Cli;

/// <summary>
/// The keys the relay signs a From domain's mail with, found exactly as the signer finds them: the relay's key store
/// and settings (<c>Relay:Dkim</c>) and <see cref="AlignedKeyResolver"/> (the domain or its nearest parent with a key,
/// up to the organisational domain). So a verb never contradicts the relay about a subdomain.
/// </summary>
internal static class SigningKeysOfDomain
{
    /// <returns>The signing domain (d=) with its keys, or null when the relay would refuse the domain's mail.</returns>
    /// <exception cref="InvalidOperationException">The key folder is missing or holds a broken key.</exception>
    public static SigningDomain? Find(ParseResult parseResult, string keysPath, string fromDomain)
    {
        var (configuration, environment) = CliConfiguration.Load(parseResult);
        var options = configuration.GetSection(DkimOptions.SectionName).Get<DkimOptions>() ?? new DkimOptions();
        options.KeysPath = keysPath;
        using var store = new DkimKeyStore(Options.Create(options), environment, TimeProvider.System, NullLogger<DkimKeyStore>.Instance);
        return new AlignedKeyResolver(store, PublicSuffixList.Shipped).Resolve(fromDomain);
    }
}
