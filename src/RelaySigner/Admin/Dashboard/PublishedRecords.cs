using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RelaySigner.Dmarc.Records;

namespace RelaySigner.Admin.Dashboard;

/// <summary>
/// The DMARC record each domain publishes, as the rollout card shows it: looked up through the relay's resolver,
/// kept five minutes (a failure one), and waited for at most a budget per page, after which the page says
/// "not known yet" and the lookup finishes in the background for the next view.
/// </summary>
public sealed class PublishedRecords(DmarcRecordLookup lookup, TimeProvider time, ILogger<PublishedRecords> logger)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan FailureLifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (Task<PublishedRecord> Record, DateTimeOffset Until)> _cache = new(StringComparer.OrdinalIgnoreCase);

    /// <returns>The record, or null when it was not known within <paramref name="budget"/>.</returns>
    public async Task<PublishedRecord?> FindAsync(string domain, TimeSpan budget, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entry = _cache.AddOrUpdate(domain,
            d => (LookupAsync(d), now + Lifetime),
            (d, cached) => cached.Until > now ? cached : (LookupAsync(d), now + Lifetime));
        await Task.WhenAny(entry.Record, Task.Delay(budget, time, cancellationToken)).ConfigureAwait(false);
        return entry.Record.IsCompletedSuccessfully ? entry.Record.Result : null;
    }

    private async Task<PublishedRecord> LookupAsync(string domain)
    {
        try
        {
            return new PublishedRecord(await lookup.FindAsync(domain, CancellationToken.None).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or DnsClient.DnsResponseException or System.Net.Sockets.SocketException)
        {
            AdminLog.DnsFailed(logger, domain, ex.Message);
            if (_cache.TryGetValue(domain, out var cached))
            {
                _cache.TryUpdate(domain, (cached.Record, time.GetUtcNow() + FailureLifetime), cached);
            }

            return new PublishedRecord(null, ex.Message);
        }
    }
}
