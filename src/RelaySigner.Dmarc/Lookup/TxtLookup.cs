using System.Net;
using DnsClient;

namespace RelaySigner.Dmarc.Lookup;

/// <summary>TXT lookups for the DNS checks, through one resolver (the system's or <c>ip:port</c>).</summary>
public sealed class TxtLookup(IPEndPoint? dnsServer)
{
    private readonly LookupClient _dns = dnsServer is null
        ? new LookupClient(new LookupClientOptions { UseCache = false, ThrowDnsErrors = false, Timeout = TimeSpan.FromSeconds(5) })
        : new LookupClient(new LookupClientOptions(new NameServer(dnsServer)) { UseCache = false, ThrowDnsErrors = false, Timeout = TimeSpan.FromSeconds(5) });

    public IPEndPoint? Server => dnsServer;

    /// <returns>Each TXT record's character-strings joined into one text; empty for NXDOMAIN or no TXT.</returns>
    /// <exception cref="InvalidOperationException">The lookup failed (SERVFAIL, refused, timeout).</exception>
    public async Task<IReadOnlyList<string>> FindAsync(string name, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _dns.QueryAsync(name, QueryType.TXT, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex)
        {
            throw new InvalidOperationException($"DNS lookup of {name} TXT failed: {ex.Message}", ex);
        }

        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            throw new InvalidOperationException($"DNS lookup of {name} TXT failed: {response.ErrorMessage}");
        }

        // A TXT record arrives as several <=255-octet character-strings; the text is their concatenation.
        return [.. response.Answers.TxtRecords().Select(txt => string.Concat(txt.Text))];
    }
}
