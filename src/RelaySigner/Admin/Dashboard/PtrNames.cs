using System.Collections.Concurrent;
using System.Net;
using DnsClient;
using RelaySigner.Core.Net;

namespace RelaySigner.Admin.Dashboard;

/// <summary>
/// PTR names of report sources for the sources table. A page waits for them at most <c>budget</c> (about 100 ms) in
/// all: lookups still running then go on in the background and fill the cache for the next view, so a slow or dead
/// resolver never holds a page up. Names are kept an hour, failures five minutes.
/// </summary>
public sealed class PtrNames
{
    private const int MaxEntries = 20_000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan FailureLifetime = TimeSpan.FromMinutes(5);

    private readonly LookupClient _dns;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<IPAddress, (Task<string?> Name, DateTimeOffset Until)> _cache = new();

    public PtrNames(string? dnsServer, TimeProvider time)
    {
        var options = HostEndpoint.TryParseResolver(dnsServer, out var server) && server is not null
            ? new LookupClientOptions(new NameServer(server))
            : new LookupClientOptions();
        options.UseCache = false;
        options.ThrowDnsErrors = false;
        options.Timeout = TimeSpan.FromSeconds(2);
        options.Retries = 1;
        _dns = new LookupClient(options);
        _time = time;
    }

    /// <returns>The names found within <paramref name="budget"/>; an address without one (yet) is absent.</returns>
    public async Task<IReadOnlyDictionary<IPAddress, string>> ResolveAsync(IEnumerable<IPAddress> addresses, TimeSpan budget, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_cache.Count > MaxEntries)
        {
            _cache.Clear();
        }

        var lookups = addresses.Distinct().ToDictionary(a => a, a => _cache.AddOrUpdate(a,
            address => (LookupAsync(address), now + Lifetime),
            (address, cached) => cached.Until > now ? cached : (LookupAsync(address), now + Lifetime)).Name);
        var all = Task.WhenAll(lookups.Values);
        await Task.WhenAny(all, Task.Delay(budget, _time, cancellationToken)).ConfigureAwait(false);
        return lookups.Where(l => l.Value.IsCompletedSuccessfully && l.Value.Result is not null)
            .ToDictionary(l => l.Key, l => l.Value.Result!);
    }

    private async Task<string?> LookupAsync(IPAddress address)
    {
        try
        {
            var response = await _dns.QueryReverseAsync(address).ConfigureAwait(false);
            var name = response.Answers.PtrRecords().FirstOrDefault()?.PtrDomainName.Value.TrimEnd('.');
            if (name is null)
            {
                Expire(address, FailureLifetime);
            }

            return name;
        }
        catch (Exception ex) when (ex is DnsResponseException or System.Net.Sockets.SocketException)
        {
            Expire(address, FailureLifetime);
            return null;
        }
    }

    private void Expire(IPAddress address, TimeSpan after)
    {
        if (_cache.TryGetValue(address, out var cached))
        {
            _cache.TryUpdate(address, (cached.Name, _time.GetUtcNow() + after), cached);
        }
    }
}
