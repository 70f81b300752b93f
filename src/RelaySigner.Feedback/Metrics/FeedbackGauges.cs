using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Feedback.Metrics;

/// <summary>
/// The gauges of the way back on the relay's meter: the complaint and hard-bounce rates of the last 24 hours per
/// sending domain, and the events waiting in the outbox. Unlike the queue gauges they are not read at the scrape:
/// the rates take one query per domain, and every node of a cluster is scraped, so they are read in the background
/// every <see cref="RefreshInterval"/> and a scrape returns the last values. A gauge whose store is not registered
/// is not created.
/// </summary>
public sealed class FeedbackGauges : BackgroundService
{
    /// <summary>How often the stores are read: Prometheus scrapes every 15–60 s; a rate over 24 h moves slower.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    /// <summary>The window of the rates: Gmail and Yahoo judge complaint rates over a day.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromHours(24);

    /// <summary>At most this many sending domains get rate gauges (the first by name): a bound on the queries and the series.</summary>
    public const int MaxDomains = DestinationLabels.DefaultMaxOthers;

    private readonly TimeProvider _time;
    private readonly ILogger<FeedbackGauges> _logger;
    private readonly IFeedbackRates? _rates;
    private readonly ISendingDomains? _domains;
    private readonly IEventOutbox? _outbox;
    private volatile IReadOnlyList<(string Domain, FeedbackRates Rates)> _lastRates = [];
    private long _lastDepth = -1; // -1: not read yet
    private readonly TaskCompletionSource _firstRefresh = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the stores have been read the first time (successfully or not), e.g. for a test to await.</summary>
    public Task FirstRefresh => _firstRefresh.Task;

    public FeedbackGauges(
        IMeterFactory meterFactory,
        TimeProvider time,
        ILogger<FeedbackGauges> logger,
        IFeedbackRates? rates = null,
        ISendingDomains? domains = null,
        IEventOutbox? outbox = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _time = time;
        _logger = logger;
        _rates = domains is null ? null : rates;
        _domains = domains;
        _outbox = outbox;
        var meter = meterFactory.Create(RelayMetrics.MeterName);
        if (_rates is not null)
        {
            meter.CreateObservableGauge("relaysigner.complaint.rate", () => RateMeasurements(r => r.ComplaintRate),
                description: "Complaints per delivered message over the last 24 h, by sending (organisational From) domain; Gmail's line is 0.003");
            meter.CreateObservableGauge("relaysigner.hard_bounce.rate", () => RateMeasurements(r => r.HardBounceRate),
                description: "Hard bounces per delivered or hard-bounced recipient over the last 24 h, by sending domain");
        }

        if (_outbox is not null)
        {
            meter.CreateObservableGauge("relaysigner.events.outbox.depth", DepthMeasurements, "{event}", "Events waiting in the outbox for the webhook");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_rates is null && _outbox is null)
        {
            _firstRefresh.TrySetResult(); // nothing to read, ever
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(RefreshInterval, _time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the stores once; on a failure the gauges keep their last values.</summary>
    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_outbox is not null)
            {
                Volatile.Write(ref _lastDepth, await _outbox.CountAsync(cancellationToken).ConfigureAwait(false));
            }

            if (_rates is not null && _domains is not null)
            {
                var since = _time.GetUtcNow() - RateWindow;
                var rates = new List<(string, FeedbackRates)>();
                foreach (var domain in SendingDomains(_domains))
                {
                    rates.Add((domain, await _rates.GetAsync(domain, since, cancellationToken).ConfigureAwait(false)));
                }

                _lastRates = rates;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            FeedbackGaugesLog.NotRefreshed(_logger, ex, RefreshInterval);
        }

        _firstRefresh.TrySetResult();
    }

    private static IEnumerable<string> SendingDomains(ISendingDomains domains) =>
        domains.Current.Select(d => d.Trim().TrimEnd('.').ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).Take(MaxDomains);

    private IEnumerable<Measurement<double>> RateMeasurements(Func<FeedbackRates, double> rate) =>
        _lastRates.Select(r => new Measurement<double>(rate(r.Rates), new KeyValuePair<string, object?>("domain", r.Domain)));

    private IEnumerable<Measurement<long>> DepthMeasurements() =>
        Volatile.Read(ref _lastDepth) is >= 0 and var depth ? [new Measurement<long>(depth)] : [];
}
