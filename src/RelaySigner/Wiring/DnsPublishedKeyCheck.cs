using Microsoft.Extensions.Options;
using RelaySigner.Core.Net;
using RelaySigner.Core.Signing;
using RelaySigner.Delivery;
using RelaySigner.Dmarc.Checks;
using RelaySigner.Dmarc.Lookup;

namespace RelaySigner.Wiring;

/// <summary>The signing guard's DNS check, answered by the DMARC toolkit's selector check through the relay's resolver.</summary>
public sealed class DnsPublishedKeyCheck(IOptions<DeliveryOptions> delivery) : IPublishedKeyCheck
{
    private readonly DkimSelectorCheck _check = new(new TxtLookup(HostEndpoint.ParseResolver(delivery.Value.DnsServer)));

    public async Task<PublishedKeyVerdict> CheckAsync(string domain, string selector, DkimPublicKey publicKey, CancellationToken cancellationToken) =>
        (await _check.InspectAsync(domain, selector, DkimSelectorCheck.Decode(publicKey), cancellationToken).ConfigureAwait(false)).Verdict;
}
