using System.Net;
using Org.BouncyCastle.Crypto;
using RelaySigner.Dmarc.Lookup;
using RelaySigner.Dmarc.Records;

namespace RelaySigner.Dmarc.Checks;

/// <summary>Everything a domain must publish for the relay's mail to pass DMARC: DKIM keys, SPF and DMARC.</summary>
/// <param name="organizationalDomain">The Public Suffix List's organisational domain of a name, for DMARC inheritance.</param>
public sealed class DomainDnsCheck(IPEndPoint? dnsServer, Func<string, string?> organizationalDomain)
{
    private readonly TxtLookup _txt = new(dnsServer);

    /// <param name="selectors">The relay's selectors for the domain, each with the public half of its private key.</param>
    /// <param name="returnPath">The VERP return-path domain the relay sends the domain's mail with and the host its MX
    /// must name (the relay's inbound listener), when one is configured.</param>
    /// <param name="signingDomain">
    /// The d= the relay signs the domain's mail with, when it is a parent (the organisational domain's key signs a
    /// subdomain's mail): the selectors are looked up there. Default: the domain itself.
    /// </param>
    public async Task<IReadOnlyList<CheckResult>> RunAsync(
        string domain,
        IReadOnlyList<(string Selector, AsymmetricKeyParameter PublicKey)> selectors,
        IReadOnlyList<IPAddress> relayAddresses,
        CancellationToken cancellationToken,
        string? signingDomain = null,
        (string Domain, string? InboundHost)? returnPath = null)
    {
        domain = domain.TrimEnd('.').ToLowerInvariant();
        var keyDomain = signingDomain?.TrimEnd('.').ToLowerInvariant() ?? domain;
        var results = new List<CheckResult>();
        if (selectors.Count == 0)
        {
            results.Add(new("DKIM", CheckStatus.Fail, $"the relay has no key for {domain}: it cannot sign its mail"));
        }

        var dkim = new DkimSelectorCheck(_txt);
        foreach (var (selector, publicKey) in selectors)
        {
            results.AddRange(await dkim.CheckAsync(keyDomain, selector, publicKey, cancellationToken).ConfigureAwait(false));
        }

        results.AddRange(await new SpfCheck(_txt, new SpfEvaluator(dnsServer)).CheckAsync(domain, relayAddresses, cancellationToken).ConfigureAwait(false));
        results.AddRange(await new DmarcPolicyCheck(new DmarcRecordLookup(_txt), organizationalDomain).CheckAsync(domain, cancellationToken).ConfigureAwait(false));
        if (returnPath is { } verp)
        {
            results.AddRange(await new ReturnPathCheck(_txt, new SpfEvaluator(dnsServer), new MxLookup(dnsServer))
                .CheckAsync(verp.Domain, verp.InboundHost, relayAddresses, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }
}
