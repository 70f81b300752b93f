using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Feedback.Bulk;

/// <summary>
/// <c>Relay:Bulk:PauseAboveComplaintRate</c>: once a minute, for each organisational domain that sent bulk mail since
/// start, the 24-hour complaint rate (<see cref="IFeedbackRates"/>) is compared with the threshold (once the domain has
/// delivered <see cref="BulkOptions.PauseMinimumDelivered"/> messages in the window); above it the domain is paused in the store (<see cref="IBulkPauseStore"/>, so every node and a restart keep it) with a warning,
/// until an operator resumes it. After a resume the rate counts from the resume, or the complaints that caused the
/// pause would pause it again at once.
/// <para>
/// Refused at intake (451 4.7.1, by the signing stage through <see cref="IBulkMailGate"/>) rather than deferred at
/// delivery: the sending application keeps the mail and retries on its own schedule, the queue does not fill with
/// mail that may not leave, and nothing queued ages towards a bounce while the operator looks into it; the
/// application is told why at once. The message path pays a dictionary lookup (and a lookup-or-add of the domain
/// it watches) for bulk mail only and nothing when the guard is off; the store and the rates are read here, once a
/// minute, never per message. The gauge <c>relaysigner.bulk.paused</c> is 1 for each paused domain.
/// </para>
/// </summary>
public sealed class ComplaintRateGuard : BackgroundService, IBulkMailGate
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private readonly double? _threshold;
    private readonly int _minimumDelivered;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger<ComplaintRateGuard> _logger;
    private readonly ConcurrentDictionary<string, byte> _watched = new(StringComparer.OrdinalIgnoreCase);
    private readonly TaskCompletionSource _checked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile TaskCompletionSource _nextCheck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IReadOnlyDictionary<string, BulkPause> _pauses = new Dictionary<string, BulkPause>();

    public ComplaintRateGuard(IOptions<BulkOptions> options, IServiceProvider services, TimeProvider time, IMeterFactory meters, ILogger<ComplaintRateGuard> logger)
    {
        _threshold = options.Value.PauseAboveComplaintRate;
        _minimumDelivered = options.Value.PauseMinimumDelivered;
        _services = services;
        _time = time;
        _logger = logger;
        meters.Create(RelayMetrics.MeterName).CreateObservableGauge("relaysigner.bulk.paused", Paused, "{domain}",
            "1 for each domain whose bulk mail the complaint-rate guard paused");
    }

    /// <summary>Completes after the first check (for tests and the start): the pauses in the store are known.</summary>
    public Task FirstCheck => _checked.Task;

    /// <summary>Completes when the check after this moment's is done (tests move a fake clock, then await it).</summary>
    public Task NextCheck => _nextCheck.Task;

    public bool Admits(string organisationalDomain)
    {
        if (_threshold is null)
        {
            return true;
        }

        _watched.TryAdd(organisationalDomain, 0);
        return !(_pauses.TryGetValue(organisationalDomain, out var pause) && pause.IsPaused);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Checked at start, not at the first check a minute in: a relay that cannot guard must not start as if it could.
        if (_threshold is not null && _services.GetService<IFeedbackRates>() is null)
        {
            throw new InvalidOperationException($"{BulkOptions.SectionName}:PauseAboveComplaintRate needs the feedback rates of the suppression store, which this relay does not have.");
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_threshold is not { } threshold)
        {
            return;
        }

        var store = _services.GetRequiredService<IBulkPauseStore>();
        var rates = _services.GetRequiredService<IFeedbackRates>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(store, rates, threshold, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                BulkLog.CheckFailed(_logger, ex);
            }

            // The next wake-up is set before the check is announced, so a test that moves a fake clock once it
            // sees the announcement always reaches it.
            var delay = Task.Delay(RefreshInterval, _time, stoppingToken);
            var done = _nextCheck;
            _nextCheck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done.TrySetResult();
            _checked.TrySetResult();
            try
            {
                await delay.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task CheckAsync(IBulkPauseStore store, IFeedbackRates rates, double threshold, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var pauses = (await store.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Domain, StringComparer.OrdinalIgnoreCase);
        foreach (var (domain, pause) in pauses)
        {
            if (!pause.IsPaused && _pauses.TryGetValue(domain, out var before) && before.IsPaused)
            {
                BulkLog.Resumed(_logger, domain);
            }
        }

        foreach (var domain in _watched.Keys)
        {
            pauses.TryGetValue(domain, out var known);
            if (known?.IsPaused == true)
            {
                continue;
            }

            var since = known?.ResumedAt is { } resumed && resumed > now - Window ? resumed : now - Window;
            var counts = await rates.GetAsync(domain, since, cancellationToken).ConfigureAwait(false);
            if (counts.Delivered >= _minimumDelivered && counts.ComplaintRate > threshold)
            {
                var pause = new BulkPause(domain.ToLowerInvariant(), now, counts.ComplaintRate);
                if (await store.PauseAsync(pause, cancellationToken).ConfigureAwait(false))
                {
                    BulkLog.Paused(_logger, pause.Domain, counts.ComplaintRate, counts.Complaints, counts.Delivered, threshold);
                }

                pauses[domain] = pause;
            }
        }

        _pauses = pauses;
    }

    private IEnumerable<Measurement<int>> Paused() =>
        _pauses.Values.Where(p => p.IsPaused).Select(p => new Measurement<int>(1, new KeyValuePair<string, object?>("domain", p.Domain)));
}
