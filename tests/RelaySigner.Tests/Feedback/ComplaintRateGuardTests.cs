using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Core.Feedback;
using RelaySigner.Feedback.Bulk;
using RelaySigner.Queue;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Feedback;

/// <summary>The complaint-rate guard on fake time, with the embedded pause store and rates set by the test.</summary>
public sealed class ComplaintRateGuardTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private readonly TempFolder _folder = new();
    private readonly Rates _rates = new();
    private ServiceProvider _services = null!;
    private ComplaintRateGuard _guard = null!;
    private IBulkPauseStore _store = null!;

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection()
            .AddMetrics()
            .AddSingleton<IFeedbackRates>(_rates)
            .AddSingleton<IBulkPauseStore>(new SqliteBulkPauseStore(_folder.Path))
            .BuildServiceProvider();
        _store = _services.GetRequiredService<IBulkPauseStore>();
        _guard = new ComplaintRateGuard(Options.Create(new BulkOptions { PauseAboveComplaintRate = 0.003 }), _services, _time,
            _services.GetRequiredService<IMeterFactory>(), NullLogger<ComplaintRateGuard>.Instance);
        await _guard.StartAsync(CancellationToken.None);
        await _guard.FirstCheck.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _guard.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>Moves the clock a check interval on and waits until the guard has read the store again.</summary>
    private async Task NextCheckAsync()
    {
        var next = _guard.NextCheck;
        _time.Advance(ComplaintRateGuard.RefreshInterval);
        await next.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_domain_above_the_rate_is_paused_durably_and_its_bulk_mail_refused_until_resumed()
    {
        Assert.True(_guard.Admits("example.com")); // now watched
        _rates.Set("example.com", new FeedbackRates(Delivered: 1000, HardBounces: 0, Complaints: 4));

        await NextCheckAsync();

        Assert.False(_guard.Admits("example.com"));
        Assert.True(_guard.Admits("example.net"));
        var pause = Assert.Single(await _store.ListAsync(CancellationToken.None));
        Assert.Equal(("example.com", 0.004, true), (pause.Domain, pause.ComplaintRate, pause.IsPaused));

        await _store.ResumeAsync("example.com", _time.GetUtcNow(), CancellationToken.None);
        _rates.Set("example.com", new FeedbackRates(Delivered: 0, HardBounces: 0, Complaints: 0)); // since the resume
        await NextCheckAsync();

        Assert.True(_guard.Admits("example.com"));
        Assert.Equal(_time.GetUtcNow() - ComplaintRateGuard.RefreshInterval, _rates.LastSince["example.com"]);
    }

    [Fact]
    public async Task A_domain_that_delivered_too_little_to_judge_is_not_paused_by_one_complaint()
    {
        _guard.Admits("example.com");
        _rates.Set("example.com", new FeedbackRates(Delivered: 20, HardBounces: 0, Complaints: 1)); // 5 %, of 20 messages

        await NextCheckAsync();

        Assert.True(_guard.Admits("example.com"));
        Assert.Empty(await _store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_domain_at_or_below_the_rate_is_not_paused()
    {
        _guard.Admits("example.com");
        _rates.Set("example.com", new FeedbackRates(Delivered: 1000, HardBounces: 50, Complaints: 3));

        await NextCheckAsync();

        Assert.True(_guard.Admits("example.com"));
        Assert.Empty(await _store.ListAsync(CancellationToken.None));
        Assert.Equal(_time.GetUtcNow() - ComplaintRateGuard.Window, _rates.LastSince["example.com"]);
    }

    private sealed class Rates : IFeedbackRates
    {
        private readonly Dictionary<string, FeedbackRates> _rates = [];
        private readonly Lock _lock = new();

        public Dictionary<string, DateTimeOffset> LastSince { get; } = [];

        public void Set(string domain, FeedbackRates rates)
        {
            lock (_lock)
            {
                _rates[domain] = rates;
            }
        }

        public Task<FeedbackRates> GetAsync(string domain, DateTimeOffset since, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                LastSince[domain] = since;
                return Task.FromResult(_rates.GetValueOrDefault(domain, new FeedbackRates(0, 0, 0)));
            }
        }
    }
}
