namespace RelaySigner.Delivery.Routing;

/// <summary>The DNS questions the resolver asks; the seam that keeps DnsClient out of the routing logic.</summary>
internal interface IDnsLookup
{
    Task<MxLookupResult> LookupMxAsync(string domain, CancellationToken cancellationToken);

    /// <summary>A then AAAA records (IPv4 addresses first).</summary>
    Task<AddressLookupResult> LookupAddressesAsync(string host, CancellationToken cancellationToken);
}
