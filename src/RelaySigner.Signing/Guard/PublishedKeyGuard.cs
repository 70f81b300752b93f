using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Signing;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Signing.Guard;

/// <summary>
/// With <see cref="DkimOptions.VerifyDns"/>, keeps a verdict per signing key on whether DNS publishes its public half,
/// checked at start, after every key reload and every <see cref="DkimOptions.VerifyDnsInterval"/>. Signing asks
/// <see cref="MaySignWith"/>, which never waits for DNS: a key not yet checked, or whose lookup failed, keeps
/// signing (DNS trouble must not stop mail); only a key DNS positively contradicts (missing, different, revoked) is
/// skipped, because every signature it made would fail at the receiver.
/// </summary>
public sealed class PublishedKeyGuard(
    DkimKeyStore store,
    IPublishedKeyCheck check,
    IOptions<DkimOptions> options,
    TimeProvider time,
    ILogger<PublishedKeyGuard> logger) : BackgroundService
{
    // Keyed by the key instance, so a reloaded file is judged afresh.
    private readonly ConcurrentDictionary<DkimKey, PublishedKeyVerdict> _verdicts = new(ReferenceEqualityComparer.Instance);
    private readonly KeysReloaded _reloaded = new(time);
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every key has been checked (at once when the guard is off): readiness, and tests.</summary>
    public Task FirstPass => _firstPass.Task;

    public bool MaySignWith(DkimKey key) =>
        !options.Value.VerifyDns || !_verdicts.TryGetValue(key, out var verdict) || verdict is PublishedKeyVerdict.Matches or PublishedKeyVerdict.LookupFailed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.VerifyDns)
        {
            _firstPass.TrySetResult();
            return;
        }

        store.Reloaded += OnReloaded;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await CheckAllAsync(stoppingToken).ConfigureAwait(false);
                _firstPass.TrySetResult();
                await _reloaded.WaitAsync(options.Value.VerifyDnsInterval, stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            store.Reloaded -= OnReloaded;
        }
    }

    private async Task CheckAllAsync(CancellationToken cancellationToken)
    {
        var current = store.SigningKeys.ToList();
        foreach (var gone in _verdicts.Keys.Except(current, ReferenceEqualityComparer.Instance).Cast<DkimKey>())
        {
            _verdicts.TryRemove(gone, out _);
        }

        foreach (var key in current)
        {
            var verdict = await check.CheckAsync(key.Domain, key.Selector, key.Published, cancellationToken).ConfigureAwait(false);
            var previous = _verdicts.TryGetValue(key, out var known) ? known : (PublishedKeyVerdict?)null;
            if (verdict == PublishedKeyVerdict.LookupFailed)
            {
                // Keep what was known: a DNS hiccup neither condemns nor clears a key.
                SigningLog.PublishedKeyLookupFailed(logger, key.Domain, key.Selector);
                _verdicts.TryAdd(key, verdict);
                continue;
            }

            _verdicts[key] = verdict;
            if (verdict != previous)
            {
                if (verdict == PublishedKeyVerdict.Matches)
                {
                    SigningLog.PublishedKeyMatches(logger, key.Domain, key.Selector);
                }
                else
                {
                    SigningLog.PublishedKeyRejected(logger, key.Domain, key.Selector, verdict);
                }
            }
        }
    }

    private void OnReloaded(object? sender, EventArgs e) => _reloaded.Notify();

    /// <summary>A reload since the last check: reloads while one is pending fold into it.</summary>
    private sealed class KeysReloaded(TimeProvider time) : WakeupSignal(time);
}
