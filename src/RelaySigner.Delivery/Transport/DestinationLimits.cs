using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using RelaySigner.Core;
using RelaySigner.Core.Delivery;
using RelaySigner.Core.Telemetry;

namespace RelaySigner.Delivery.Transport;

/// <summary>
/// The Polly layer inside one delivery attempt, per destination (a recipient domain, or the smarthost): a circuit
/// breaker, at most <see cref="DeliveryOptions.MaxConnectionsPerDestination"/> sessions at once, optionally
/// <see cref="DeliveryOptions.MessagesPerSecondPerDestination"/>, and at most <see cref="DeliveryOptions.MaxConnections"/>
/// sessions overall. A delivery over a limit waits for its turn (within its lease) rather than fail: being polite to a
/// receiver must not turn into deferrals.
/// </summary>
/// <remarks>
/// <para>
/// The circuit opens after <see cref="DeliveryOptions.CircuitBreakerFailures"/> sessions in a row (within a minute)
/// reached no host of the destination; while it is open (<see cref="DeliveryOptions.CircuitBreakDuration"/>) deliveries
/// there are deferred at once (4.4.1) instead of every worker waiting out connect timeouts against a dead host. Only
/// "no host could be reached" counts: a server that answers, even with 4xx/5xx, is reachable.
/// </para>
/// <para>
/// Order: breaker, per-destination concurrency limiter, the destination's turn by its message rate
/// (<see cref="IDestinationRate"/>, paced over the cluster on a shared queue), a slot counted over the cluster
/// (<see cref="IDestinationSlots"/>), then one global concurrency limiter — so deliveries queued for one busy
/// destination never hold global slots other destinations could use, and a node asks the cluster only for sessions
/// and turns its own limit allows. All of it runs on the injected <see cref="TimeProvider"/>.
/// </para>
/// </remarks>
public sealed partial class DestinationLimits : IDisposable
{
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipelineRegistry<string> _perDestination = new();
    private readonly ResiliencePipeline _global;
    private readonly IDestinationSlots _clusterSlots;
    private readonly IDestinationRate _rate;
    private readonly TimeSpan _rateInterval;

    /// <param name="clusterSlots">The per-destination count over every node sharing the queue; none on one node.</param>
    /// <param name="rate">The per-destination pace over every node sharing the queue; in memory on one node.</param>
    public DestinationLimits(DeliveryOptions options, TimeProvider time, ILogger<DestinationLimits> logger,
        IDestinationSlots? clusterSlots = null, IDestinationRate? rate = null)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _clusterSlots = clusterSlots ?? new LocalDestinationSlots();
        _rate = rate ?? new LocalDestinationRate(time);
        _rateInterval = options.MessagesPerSecondPerDestination > 0
            ? TimeSpan.FromSeconds(1 / options.MessagesPerSecondPerDestination)
            : TimeSpan.Zero;
        _global = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddConcurrencyLimiter(options.MaxConnections, int.MaxValue)
            .Build();
    }

    /// <summary>
    /// Runs <paramref name="session"/> once every limit of <paramref name="destination"/> allows it. The session returns
    /// null when a server decided the recipients, or the reason no host could be reached. While the destination's
    /// circuit is open the session does not run and a temporary 4.4.1 reply comes back instead.
    /// </summary>
    public async ValueTask<SmtpReply?> RunAsync(string destination, Func<CancellationToken, ValueTask<SmtpReply?>> session, CancellationToken cancellationToken)
    {
        var key = destination.ToLowerInvariant();
        var pipeline = _perDestination.GetOrAddPipeline<SmtpReply?>(key, builder => Configure(builder, key));
        try
        {
            return await pipeline.ExecuteAsync(
                async token =>
                {
                    if (_rateInterval > TimeSpan.Zero)
                    {
                        await _rate.WaitTurnAsync(key, _rateInterval, token).ConfigureAwait(false);
                    }

                    var slot = await _clusterSlots.AcquireAsync(key, _options.MaxConnectionsPerDestination, _options.ConnectionReuseTime, token).ConfigureAwait(false);
                    await using (slot.ConfigureAwait(false))
                    {
                        return await _global.ExecuteAsync(session, token).ConfigureAwait(false);
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException)
        {
            return OutcomeClassifier.Temporary("4.4.1", $"{destination} not tried: its hosts were unreachable on the last attempts (circuit open)");
        }
    }

    public void Dispose() => _perDestination.Dispose();

    private void Configure(ResiliencePipelineBuilder<SmtpReply?> builder, string destination)
    {
        builder.TimeProvider = _time;
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<SmtpReply?>
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is not null),
            FailureRatio = 1.0,
            MinimumThroughput = _options.CircuitBreakerFailures,
            SamplingDuration = TimeSpan.FromMinutes(1),
            BreakDuration = _options.CircuitBreakDuration,
            OnOpened = args =>
            {
                CircuitOpened(_logger, destination, args.BreakDuration, args.Outcome.Result?.ToString());
                return ValueTask.CompletedTask;
            },
        });
        builder.AddConcurrencyLimiter(_options.MaxConnectionsPerDestination, int.MaxValue);
    }

    [LoggerMessage(EventId = EventIds.Delivery.CircuitOpened, Level = LogLevel.Warning,
        Message = "Destination {Destination} unreachable, deliveries there deferred without trying for {BreakDuration}: {LastFailure}")]
    private static partial void CircuitOpened(ILogger logger, string destination, TimeSpan breakDuration, string? lastFailure);
}
