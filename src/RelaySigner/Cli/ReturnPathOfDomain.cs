using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RelaySigner.Intake;
using RelaySigner.Signing;
using RelaySigner.Signing.Alignment;

namespace RelaySigner.Cli;

/// <summary>
/// The VERP return-path domain the relay's configuration gives a From domain (<c>Relay:Dkim:Domains:…:ReturnPathDomain</c>,
/// the domain's own or its nearest parent's), and the name its MX must point at: the relay's public name
/// (<c>Relay:Smtp:ServerName</c>), which is also the inbound listener's.
/// </summary>
internal static class ReturnPathOfDomain
{
    public static (string Domain, string? InboundHost)? Find(ParseResult parseResult, string fromDomain)
    {
        var configuration = CliConfiguration.Load(parseResult).Configuration;
        var dkim = configuration.GetSection(DkimOptions.SectionName).Get<DkimOptions>() ?? new DkimOptions();
        var returnPath = new ReturnPathDomains(Options.Create(dkim), PublicSuffixList.Shipped).For(fromDomain);
        return returnPath is null ? null : (returnPath, configuration[$"{SmtpOptions.SectionName}:{nameof(SmtpOptions.ServerName)}"]);
    }
}
