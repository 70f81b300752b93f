using System.Net;
using DnsClient;

namespace RelaySigner.Dmarc.Records;

/// <summary>Reads the DMARC record published at <c>_dmarc.&lt;domain&gt;</c> (RFC 7489 §6.6.3).</summary>
public sealed class DmarcRecordLookup(IPEndPoint? dnsServer)
{
    private readonly LookupClient _dns = dnsServer is null
        ? new LookupClient(new LookupClientOptions { UseCache = false, ThrowDnsErrors = false })
        : new LookupClient(new LookupClientOptions(new NameServer(dnsServer)) { UseCache = false, ThrowDnsErrors = false });

    /// <returns>The record, null when none is published; throws when DNS fails or several records are published.</returns>
    public async Task<DmarcRecord?> FindAsync(string domain, CancellationToken cancellationToken)
    {
        var name = $"_dmarc.{domain.TrimEnd('.')}";
        var response = await _dns.QueryAsync(name, QueryType.TXT, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            throw new InvalidOperationException($"DNS lookup of {name} failed: {response.ErrorMessage}");
        }

        // A TXT record may come in several character-strings; they are one text (RFC 7208 §3.3 does the same for SPF).
        var records = response.Answers.TxtRecords()
            .Select(txt => string.Concat(txt.Text))
            .Where(text => text.StartsWith("v=DMARC1", StringComparison.Ordinal))
            .ToList();
        return records.Count switch
        {
            0 => null,
            1 => DmarcRecord.Parse(records[0]),
            _ => throw new InvalidOperationException($"{name} publishes {records.Count} DMARC records; receivers then apply none (RFC 7489 §6.6.3)"),
        };
    }
}
