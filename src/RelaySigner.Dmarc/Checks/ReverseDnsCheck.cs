using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace RelaySigner.Dmarc.Checks;

/// <summary>
/// Forward-confirmed reverse DNS of a sending address, as Gmail, Yahoo and Microsoft require of bulk senders: the
/// address has a PTR, the name it gives resolves back to the address, and it is the name the relay says in EHLO
/// (receivers compare the two; a generic or mismatched name reads as a compromised host).
/// </summary>
public sealed class ReverseDnsCheck(IPEndPoint? dnsServer)
{
    private readonly LookupClient _dns = dnsServer is null
        ? new LookupClient(new LookupClientOptions { UseCache = false, ThrowDnsErrors = false, Timeout = TimeSpan.FromSeconds(5) })
        : new LookupClient(new LookupClientOptions(new NameServer(dnsServer)) { UseCache = false, ThrowDnsErrors = false, Timeout = TimeSpan.FromSeconds(5) });

    /// <returns>One verdict for <paramref name="address"/>.</returns>
    /// <exception cref="InvalidOperationException">A lookup failed (SERVFAIL, refused, timeout).</exception>
    public async Task<CheckResult> CheckAsync(IPAddress address, string heloName, CancellationToken cancellationToken)
    {
        const string Subject = "Reverse DNS";
        var names = (await QueryAsync(address.GetArpaName(), QueryType.PTR, cancellationToken).ConfigureAwait(false))
            .PtrRecords().Select(ptr => ptr.PtrDomainName.Value.TrimEnd('.').ToLowerInvariant()).Distinct().ToList();
        if (names.Count == 0)
        {
            return new(Subject, CheckStatus.Fail, $"{address} has no PTR record");
        }

        var confirmed = new List<string>();
        foreach (var name in names)
        {
            var type = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? QueryType.AAAA : QueryType.A;
            var answers = await QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
            if (answers.OfType<AddressRecord>().Any(record => record.Address.Equals(address)))
            {
                confirmed.Add(name);
            }
        }

        var helo = heloName.TrimEnd('.').ToLowerInvariant();
        if (confirmed.Count == 0)
        {
            return new(Subject, CheckStatus.Fail, $"{address} has PTR {string.Join(", ", names)}, which does not resolve back to {address}");
        }

        return confirmed.Contains(helo)
            ? new(Subject, CheckStatus.Pass, $"{address} ↔ {helo}, the relay's EHLO name")
            : new(Subject, CheckStatus.Fail, $"{address} ↔ {string.Join(", ", confirmed)}, but the relay says EHLO {helo} (Relay:Delivery:HeloName)");
    }

    private async Task<IReadOnlyList<DnsResourceRecord>> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _dns.QueryAsync(name, type, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex)
        {
            throw new InvalidOperationException($"DNS lookup of {name} {type} failed: {ex.Message}", ex);
        }

        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            throw new InvalidOperationException($"DNS lookup of {name} {type} failed: {response.ErrorMessage}");
        }

        return response.Answers;
    }
}
