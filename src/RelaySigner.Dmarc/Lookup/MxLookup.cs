using System.Net;
using DnsClient;

namespace RelaySigner.Dmarc.Lookup;

/// <summary>MX lookups for the DNS checks, through one resolver (the system's or <c>ip:port</c>).</summary>
public sealed class MxLookup(IPEndPoint? dnsServer)
{
    private readonly LookupClient _dns = dnsServer is null
        ? new LookupClient(new LookupClientOptions { UseCache = false, ThrowDnsErrors = false, Timeout = TimeSpan.FromSeconds(5) })
        : new LookupClient(new LookupClientOptions(new NameServer(dnsServer)) { UseCache = false, ThrowDnsErrors = false, Timeout = TimeSpan.FromSeconds(5) });

    /// <returns>The exchanges, lowest preference first, without the final dot; empty for NXDOMAIN or no MX.</returns>
    /// <exception cref="InvalidOperationException">The lookup failed (SERVFAIL, refused, timeout).</exception>
    public async Task<IReadOnlyList<string>> FindAsync(string name, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _dns.QueryAsync(name, QueryType.MX, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex)
        {
            throw new InvalidOperationException($"DNS lookup of {name} MX failed: {ex.Message}", ex);
        }

        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            throw new InvalidOperationException($"DNS lookup of {name} MX failed: {response.ErrorMessage}");
        }

        return [.. response.Answers.MxRecords().OrderBy(mx => mx.Preference).Select(mx => mx.Exchange.Value.TrimEnd('.'))];
    }
}
