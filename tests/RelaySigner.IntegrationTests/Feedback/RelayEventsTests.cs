using RelaySigner.Feedback.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Telemetry;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Feedback;

/// <summary>
/// The real relay host with <c>Relay:Events</c> set: it sends the outbox's events to a receiver on loopback, and
/// <c>/metrics</c> shows the feedback counters, the rates of its signing domain and the webhook's results by their
/// Prometheus names. The events outbox and the rates are stand-ins until the relay's stores provide them.
/// </summary>
public sealed class RelayEventsTests : IAsyncLifetime
{
    private const string Secret = "d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private const string RatesDomain = "feedback-rates.example";

    private readonly TempFolder _queue = new();
    private WebhookReceiver? _receiver;
    private IHost? _relay;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync(Secret);

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.StopAsync();
            _relay.Dispose();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        _queue.Dispose();
    }

    [Fact]
    public async Task The_relay_posts_its_events_and_metrics_show_feedback_rates_and_webhook_results()
    {
        var outbox = new InMemoryEventOutbox(TimeProvider.System);
        outbox.Add(new RelayEvent(RelayEventType.Delivered, DateTimeOffset.UtcNow, "a@example.net", FromDomain: "example.com"));
        outbox.Add(new RelayEvent(RelayEventType.Complained, DateTimeOffset.UtcNow, "b@example.net", FromDomain: "example.com"));
        (_relay, _) = await TestRelayHost.StartAsync(
            _queue.Path,
            new IPEndPoint(IPAddress.Loopback, 9),
            [],
            [("Relay:Events:WebhookUrl", _receiver!.Url), ("Relay:Events:Secret", Secret)],
            LogLevel.Warning,
            services: s => s
                .AddSingleton<IEventOutbox>(outbox)
                .AddSingleton<IFeedbackRates>(new FixedRates(new FeedbackRates(Delivered: 1000, HardBounces: 5, Complaints: 3)))
                // A sending domain of this test alone: the relays of the other tests, running at the same time in this
                // process, share the meter, and their stores report their own (empty) rates for the demo key's example.com.
                .AddSingleton<ISendingDomains>(new OneSendingDomain(RatesDomain)));

        await outbox.WhenEmptyAsync().WaitAsync(Wait);
        // The rate gauges show what the store said at its first read, which runs in the background after the start.
        await _relay.Services.GetServices<IHostedService>().OfType<FeedbackGauges>().Single().FirstRefresh.WaitAsync(Wait);
        // A feedback domain no other test uses: every relay of the test process shares the meter.
        var metrics = _relay.Services.GetRequiredService<RelayMetrics>();
        metrics.RecordFeedback("hard", "feedback-metrics.example");
        metrics.RecordFeedback("complaint", "feedback-metrics.example");
        using var admin = new AdminClient(_relay.Services);
        var (_, scrape) = await admin.GetAsync("/metrics");

        Assert.Equal(2, _receiver.Received.Count(r => r.Verified && r.Answer == 200));
        Assert.Equal(1, AdminClient.Sample(scrape, "relaysigner_bounces_total", "kind=\"hard\"", "domain=\"feedback-metrics.example\""));
        Assert.Equal(1, AdminClient.Sample(scrape, "relaysigner_complaints_total", "domain=\"feedback-metrics.example\""));
        Assert.Equal(0.003, AdminClient.Sample(scrape, "relaysigner_complaint_rate", $"domain=\"{RatesDomain}\""));
        Assert.Equal(5 / 1005.0, AdminClient.Sample(scrape, "relaysigner_hard_bounce_rate", $"domain=\"{RatesDomain}\"")!.Value, 6);
        Assert.NotNull(AdminClient.Sample(scrape, "relaysigner_events_outbox_depth"));
        Assert.True(AdminClient.Sample(scrape, "relaysigner_webhook_requests_total", "result=\"accepted\"") >= 2, scrape);
        Assert.DoesNotContain("a@example.net", scrape);
    }

    private sealed class OneSendingDomain(string domain) : ISendingDomains
    {
        public IReadOnlyCollection<string> Current => [domain];
    }

    private sealed class FixedRates(FeedbackRates rates) : IFeedbackRates
    {
        public Task<FeedbackRates> GetAsync(string domain, DateTimeOffset since, CancellationToken cancellationToken) => Task.FromResult(rates);
    }
}
