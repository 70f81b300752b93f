using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RelaySigner.Core;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Telemetry;
using RelaySigner.Feedback.Metrics;
using RelaySigner.Testing;
using RelaySigner.Tests.Delivery;
using RelaySigner.Tests.Feedback.Events;

namespace RelaySigner.Tests.Feedback.Metrics;

public sealed class FeedbackGaugesTests : IAsyncDisposable
{
    private readonly TimerWatchingTimeProvider _time = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CountingRates _rates = new();
    private readonly InMemoryEventOutbox _outbox;
    private readonly AwaitableLogger<FeedbackGauges> _log = new();
    private FeedbackGauges? _gauges;

    public FeedbackGaugesTests() => _outbox = new InMemoryEventOutbox(_time);

    private IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

    public async ValueTask DisposeAsync()
    {
        if (_gauges is not null)
        {
            await _gauges.StopAsync(CancellationToken.None);
            _gauges.Dispose();
        }

        await _services.DisposeAsync();
    }

    [Fact]
    public async Task The_rates_and_the_outbox_depth_are_read_every_minute_in_the_background_and_a_scrape_reads_only_the_last_values()
    {
        _rates.Set("example.com", new FeedbackRates(Delivered: 1000, HardBounces: 10, Complaints: 4));
        _outbox.Add(new RelayEvent(RelayEventType.Delivered, _time.GetUtcNow(), "a@example.net", new QueueId("0193A1B2C3D4E5F6A7B8C")));

        await StartAsync(new SendingDomains("Example.com.", "example.org", "example.com"));
        var scrapes = Enumerable.Range(0, 5).Select(_ => Scrape()).ToList();

        Assert.Equal(2, _rates.Calls); // one query per domain, whatever the scrapes
        Assert.All(_rates.Since, since => Assert.Equal(_time.GetUtcNow() - TimeSpan.FromHours(24), since));
        Assert.All(scrapes, scrape => Assert.Equal(
            [
                "relaysigner.complaint.rate domain=example.com 0.004",
                "relaysigner.complaint.rate domain=example.org 0",
                "relaysigner.events.outbox.depth  1",
                $"relaysigner.hard_bounce.rate domain=example.com {10 / 1010.0}",
                "relaysigner.hard_bounce.rate domain=example.org 0",
            ],
            scrape));

        _rates.Set("example.org", new FeedbackRates(Delivered: 100, HardBounces: 0, Complaints: 1));
        _outbox.Add(new RelayEvent(RelayEventType.Deferred, _time.GetUtcNow(), "b@example.net"));
        Assert.Contains("relaysigner.events.outbox.depth  1", Scrape());
        var refreshed = _time.NextTimerAsync(FeedbackGauges.RefreshInterval);
        _time.Advance(FeedbackGauges.RefreshInterval);
        await refreshed;

        Assert.Equal(4, _rates.Calls);
        Assert.Contains("relaysigner.events.outbox.depth  2", Scrape());
        Assert.Contains("relaysigner.complaint.rate domain=example.org 0.01", Scrape());
    }

    [Fact]
    public async Task A_store_that_fails_is_logged_and_the_gauges_keep_their_last_values()
    {
        _rates.Set("example.com", new FeedbackRates(200, 0, 1));
        await StartAsync(new SendingDomains("example.com"));

        _rates.Fail = true;
        var refreshed = _time.NextTimerAsync(FeedbackGauges.RefreshInterval);
        _time.Advance(FeedbackGauges.RefreshInterval);
        await _log.WaitForEventAsync(EventIds.Feedback.GaugesNotRefreshed);
        await refreshed;

        Assert.Contains("relaysigner.complaint.rate domain=example.com 0.005", Scrape());
    }

    [Fact]
    public void Without_the_stores_there_are_no_gauges_and_nothing_to_read()
    {
        _gauges = new FeedbackGauges(Factory, _time, _log);

        Assert.Empty(Scrape());
    }

    private async Task StartAsync(ISendingDomains domains)
    {
        var waiting = _time.NextTimerAsync(FeedbackGauges.RefreshInterval);
        _gauges = new FeedbackGauges(Factory, _time, _log, _rates, domains, _outbox);
        await _gauges.StartAsync(CancellationToken.None);
        await waiting; // the first refresh is done
    }

    /// <summary>What a scrape sees: "name labels value" per measurement, ordered.</summary>
    private List<string> Scrape()
    {
        var seen = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, Factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => seen.Add($"{i.Name} {Labels(tags)} {value}"));
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => seen.Add($"{i.Name} {Labels(tags)} {value}"));
        listener.Start();
        listener.RecordObservableInstruments();
        return [.. seen.Order(StringComparer.Ordinal)];
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));

    private sealed class SendingDomains(params string[] domains) : ISendingDomains
    {
        public IReadOnlyCollection<string> Current => domains;
    }

    private sealed class CountingRates : IFeedbackRates
    {
        private readonly Dictionary<string, FeedbackRates> _rates = [];

        public int Calls { get; private set; }

        public List<DateTimeOffset> Since { get; } = [];

        public bool Fail { get; set; }

        public void Set(string domain, FeedbackRates rates) => _rates[domain] = rates;

        public Task<FeedbackRates> GetAsync(string domain, DateTimeOffset since, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new InvalidOperationException("database down (test)");
            }

            Calls++;
            Since.Add(since);
            return Task.FromResult(_rates.GetValueOrDefault(domain) ?? new FeedbackRates(0, 0, 0));
        }
    }
}
