using System.Net;
using DnsClient;
using RelaySigner.Core.Net;

namespace RelaySigner.Delivery.Routing;

/// <summary><see cref="IDnsLookup"/> over DnsClient's <see cref="LookupClient"/>.</summary>
internal sealed class DnsClientLookup : IDnsLookup
{
    private readonly LookupClient _client;

    public DnsClientLookup(string? dnsServer)
    {
        var options = HostEndpoint.TryParseResolver(dnsServer, out var server) && server is not null
            ? new LookupClientOptions(new NameServer(server))
            : new LookupClientOptions();
        options.UseCache = false;
        options.ThrowDnsErrors = false;
        _client = new LookupClient(options);
    }

    public async Task<MxLookupResult> LookupMxAsync(string domain, CancellationToken cancellationToken)
    {
        var (status, response, error) = await QueryAsync(domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
        var records = response is null
            ? []
            : response.Answers.MxRecords().Select(r => new MxEntry(r.Preference, r.Exchange.Value)).ToList();
        return new MxLookupResult(status, records, error);
    }

    public async Task<AddressLookupResult> LookupAddressesAsync(string host, CancellationToken cancellationToken)
    {
        var aTask = QueryAsync(host, QueryType.A, cancellationToken);
        var aaaaTask = QueryAsync(host, QueryType.AAAA, cancellationToken);
        var a = await aTask.ConfigureAwait(false);
        var aaaa = await aaaaTask.ConfigureAwait(false);

        var addresses = new List<IPAddress>();
        if (a.Response is not null)
        {
            addresses.AddRange(a.Response.Answers.ARecords().Select(r => r.Address));
        }

        if (aaaa.Response is not null)
        {
            addresses.AddRange(aaaa.Response.Answers.AaaaRecords().Select(r => r.Address));
        }

        if (addresses.Count > 0)
        {
            return new AddressLookupResult(DnsLookupStatus.Ok, addresses.Distinct().ToList(), null);
        }

        if (a.Status == DnsLookupStatus.NotFound || aaaa.Status == DnsLookupStatus.NotFound)
        {
            return new AddressLookupResult(DnsLookupStatus.NotFound, [], null);
        }

        if (a.Status == DnsLookupStatus.Temporary || aaaa.Status == DnsLookupStatus.Temporary)
        {
            return new AddressLookupResult(DnsLookupStatus.Temporary, [], a.Error ?? aaaa.Error);
        }

        return new AddressLookupResult(DnsLookupStatus.Ok, [], null);
    }

    private async Task<(DnsLookupStatus Status, IDnsQueryResponse? Response, string? Error)> QueryAsync(
        string name, QueryType type, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
            {
                return (DnsLookupStatus.NotFound, null, null);
            }

            if (response.HasError)
            {
                return (DnsLookupStatus.Temporary, null, $"{type} lookup for {name}: {response.ErrorMessage}");
            }

            return (DnsLookupStatus.Ok, response, null);
        }
        catch (DnsResponseException e)
        {
            // Timeouts and unreachable resolvers surface here even with ThrowDnsErrors = false.
            return (DnsLookupStatus.Temporary, null, $"{type} lookup for {name}: {e.Message}");
        }
    }
}
