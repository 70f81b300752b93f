using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Net;

namespace RelaySigner.Delivery.Routing;

/// <summary>
/// Resolves recipient domains to routes: the smarthost when one is configured; otherwise the domain's MX hosts
/// (preference order, equal preferences shuffled, RFC 7505 null MX honoured) or, without MX records, the domain
/// itself (implicit MX, RFC 5321 §5.1). Failures come back classified: NXDOMAIN, null MX and "no address at all"
/// are permanent; SERVFAIL, timeouts and unreachable resolvers are temporary.
/// </summary>
public sealed class DestinationResolver : IDestinationResolver
{
    private readonly IDnsLookup _dns;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly HostEndpoint? _smarthost;
    private readonly int _mxPort;

    public DestinationResolver(IOptions<DeliveryOptions> options, ILogger<DestinationResolver> logger)
        : this(options.Value, new DnsClientLookup(options.Value.DnsServer), logger, Random.Shared)
    {
    }

    internal DestinationResolver(DeliveryOptions options, IDnsLookup dns, ILogger logger, Random random)
    {
        _dns = dns;
        _logger = logger;
        _random = random;
        _mxPort = options.MxPort;
        _smarthost = options.TryGetSmarthost(out var smarthost)
            ? smarthost
            : throw new OptionsValidationException(
                DeliveryOptions.SectionName,
                typeof(DeliveryOptions),
                [$"{DeliveryOptions.SectionName}:Smarthost '{options.Smarthost}' is not host:port."]);
    }

    public async Task<DestinationResolution> ResolveAsync(string domain, CancellationToken cancellationToken)
    {
        var result = _smarthost is not null
            ? await ResolveSmarthostAsync(_smarthost, cancellationToken).ConfigureAwait(false)
            : await ResolveDomainAsync(domain, cancellationToken).ConfigureAwait(false);

        if (result.IsResolved)
        {
            DeliveryLog.DestinationResolved(_logger, domain, result.Route);
        }
        else
        {
            DeliveryLog.DestinationNotResolved(_logger, domain, result.Failure);
        }

        return result;
    }

    private async Task<DestinationResolution> ResolveSmarthostAsync(HostEndpoint smarthost, CancellationToken cancellationToken)
    {
        var name = $"{smarthost.Host}:{smarthost.Port.ToString(CultureInfo.InvariantCulture)}";
        if (smarthost.Address is not null)
        {
            return Smarthost(name, new DestinationHost(smarthost.Host, [smarthost.Address], smarthost.Port));
        }

        if (string.Equals(smarthost.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 6761 §6.3: "localhost" is loopback without asking DNS.
            return Smarthost(name, new DestinationHost(smarthost.Host, [IPAddress.Loopback, IPAddress.IPv6Loopback], smarthost.Port));
        }

        var lookup = await _dns.LookupAddressesAsync(smarthost.Host, cancellationToken).ConfigureAwait(false);
        if (lookup.Addresses.Count > 0)
        {
            return Smarthost(name, new DestinationHost(smarthost.Host, lookup.Addresses, smarthost.Port));
        }

        // A smarthost that cannot be resolved is a configuration or resolver problem: keep the mail and retry.
        return DestinationResolution.Temporary(
            "4.4.3",
            $"smarthost {smarthost.Host} cannot be resolved: {Describe(lookup.Status, lookup.Error)}");
    }

    private async Task<DestinationResolution> ResolveDomainAsync(string domain, CancellationToken cancellationToken)
    {
        var name = domain.Trim();

        if (TryAddressLiteral(name, out var literal))
        {
            return Route(name, new DestinationHost(name, [literal], _mxPort));
        }

        name = name.TrimEnd('.').ToLowerInvariant();
        if (!TryToAscii(name, out var ascii) || !HostEndpoint.IsHostName(ascii))
        {
            return DestinationResolution.Permanent(550, "5.1.2", $"bad destination domain '{name}'");
        }

        var mx = await _dns.LookupMxAsync(ascii, cancellationToken).ConfigureAwait(false);
        switch (mx.Status)
        {
            case DnsLookupStatus.NotFound:
                return DestinationResolution.Permanent(550, "5.1.2", $"domain {ascii} not found (NXDOMAIN)");
            case DnsLookupStatus.Temporary:
                return DestinationResolution.Temporary("4.4.3", $"MX lookup for {ascii} failed: {mx.Error ?? "no answer"}");
        }

        if (mx.Records.Count == 0)
        {
            return await ResolveImplicitMxAsync(ascii, cancellationToken).ConfigureAwait(false);
        }

        var exchanges = mx.Records
            .Select(r => r with { Exchange = r.Exchange.Trim().TrimEnd('.').ToLowerInvariant() })
            .ToList();
        var usable = exchanges.Where(r => r.Exchange.Length > 0).ToList();
        if (usable.Count == 0)
        {
            // RFC 7505: a single MX record "0 ." says the domain accepts no mail.
            return DestinationResolution.Permanent(556, "5.1.10", $"domain {ascii} does not accept mail (null MX)");
        }

        var ordered = OrderByPreference(usable);
        var lookups = await Task.WhenAll(ordered.Select(r => LookupExchangeAsync(r.Exchange, cancellationToken)))
            .ConfigureAwait(false);

        var hosts = new List<DestinationHost>();
        var problems = new List<string>();
        var anyTemporary = false;
        for (var i = 0; i < ordered.Count; i++)
        {
            var lookup = lookups[i];
            if (lookup.Addresses.Count > 0)
            {
                if (!hosts.Any(h => string.Equals(h.HostName, ordered[i].Exchange, StringComparison.Ordinal)))
                {
                    hosts.Add(new DestinationHost(ordered[i].Exchange, lookup.Addresses, _mxPort));
                }

                continue;
            }

            anyTemporary |= lookup.Status == DnsLookupStatus.Temporary;
            problems.Add($"{ordered[i].Exchange}: {Describe(lookup.Status, lookup.Error)}");
        }

        if (hosts.Count > 0)
        {
            return Route(ascii, [.. hosts]);
        }

        var detail = string.Join("; ", problems);
        return anyTemporary
            ? DestinationResolution.Temporary("4.4.3", $"no MX host of {ascii} could be resolved: {detail}")
            : DestinationResolution.Permanent(550, "5.4.4", $"no MX host of {ascii} has an address: {detail}");
    }

    private async Task<DestinationResolution> ResolveImplicitMxAsync(string domain, CancellationToken cancellationToken)
    {
        var lookup = await _dns.LookupAddressesAsync(domain, cancellationToken).ConfigureAwait(false);
        if (lookup.Addresses.Count > 0)
        {
            return Route(domain, new DestinationHost(domain, lookup.Addresses, _mxPort));
        }

        return lookup.Status switch
        {
            DnsLookupStatus.NotFound => DestinationResolution.Permanent(550, "5.1.2", $"domain {domain} not found (NXDOMAIN)"),
            DnsLookupStatus.Temporary => DestinationResolution.Temporary(
                "4.4.3", $"address lookup for {domain} failed: {lookup.Error ?? "no answer"}"),
            _ => DestinationResolution.Permanent(550, "5.4.4", $"domain {domain} has no MX and no address records"),
        };
    }

    private Task<AddressLookupResult> LookupExchangeAsync(string exchange, CancellationToken cancellationToken)
    {
        // An MX target must be a name, but an IP literal there is harmless to honour.
        if (IPAddress.TryParse(exchange, out var address) && exchange.Count(c => c is '.' or ':') >= 2)
        {
            return Task.FromResult(new AddressLookupResult(DnsLookupStatus.Ok, [address], null));
        }

        return _dns.LookupAddressesAsync(exchange, cancellationToken);
    }

    /// <summary>Ascending preference; records of equal preference in random order (RFC 5321 §5.1).</summary>
    private List<MxEntry> OrderByPreference(List<MxEntry> records)
    {
        var ordered = new List<MxEntry>(records.Count);
        foreach (var group in records.GroupBy(r => r.Preference).OrderBy(g => g.Key))
        {
            var same = group.ToArray();
            _random.Shuffle(same);
            ordered.AddRange(same);
        }

        return ordered;
    }

    private static DestinationResolution Smarthost(string name, DestinationHost host) =>
        DestinationResolution.Resolved(new Destination(name, [host], IsSmarthost: true));

    private static DestinationResolution Route(string name, params DestinationHost[] hosts) =>
        DestinationResolution.Resolved(new Destination(name, hosts));

    private static bool TryAddressLiteral(string domain, out IPAddress address)
    {
        address = IPAddress.None;
        if (domain.Length < 3 || domain[0] != '[' || domain[^1] != ']')
        {
            return false;
        }

        var inner = domain[1..^1];
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            inner = inner[5..];
        }

        return IPAddress.TryParse(inner, out address!);
    }

    private static bool TryToAscii(string domain, out string ascii)
    {
        ascii = domain;
        if (domain.All(char.IsAscii))
        {
            return true;
        }

        try
        {
            ascii = new IdnMapping().GetAscii(domain);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Describe(DnsLookupStatus status, string? error) => status switch
    {
        DnsLookupStatus.NotFound => "host not found (NXDOMAIN)",
        DnsLookupStatus.Temporary => error ?? "lookup failed",
        _ => "no address records",
    };
}
