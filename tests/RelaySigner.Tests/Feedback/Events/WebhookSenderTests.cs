using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Feedback;
using RelaySigner.Core.Telemetry;
using RelaySigner.Feedback.Events;
using RelaySigner.Testing;
using RelaySigner.Tests.Delivery;

namespace RelaySigner.Tests.Feedback.Events;

public sealed class WebhookSenderTests : IAsyncDisposable
{
    private const string Secret = "8f1c0e5b2a9d4c7e8f1c0e5b2a9d4c7e";
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(7);

    private static readonly RelayEvent Bounced = new(
        RelayEventType.Bounced, new DateTimeOffset(2026, 12, 6, 2, 59, 58, 125, TimeSpan.Zero), "jane+news@example.net",
        new QueueId("0193A1B2C3D4E5F6A7B8C"), "<m1@mail.example.com>", "example.com", "hard", "5.1.1");

    private readonly TimerWatchingTimeProvider _time = new();
    private readonly InMemoryEventOutbox _outbox;
    private readonly ScriptedWebhook _webhook = new();
    private readonly EventsWakeup _wakeup;
    private readonly AwaitableLogger<WebhookSender> _log = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<string> _results = [];
    private readonly MeterListener _listener;
    private WebhookSender? _sender;

    public WebhookSenderTests()
    {
        _outbox = new InMemoryEventOutbox(_time);
        _wakeup = new EventsWakeup(_time);
        _listener = WebhookResults(_services.GetRequiredService<IMeterFactory>(), _results);
    }

    private static EventsOptions Settings => new()
    {
        WebhookUrl = "https://hooks.example/relay?token=abc",
        Secret = Secret,
        Timeout = PostTimeout,
        PollInterval = Poll,
        RetryDelay = TimeSpan.FromSeconds(10),
        MaxRetryDelay = TimeSpan.FromHours(1),
        MaxBatch = 10,
        MaxConcurrentRequests = 1,
    };

    public async ValueTask DisposeAsync()
    {
        if (_sender is not null)
        {
            await _sender.StopAsync(CancellationToken.None);
            _sender.Dispose();
        }

        _listener.Dispose();
        await _services.DisposeAsync();
        _webhook.Dispose();
    }

    [Fact]
    public async Task Each_event_is_posted_once_as_signed_json_and_leaves_the_outbox_on_2xx()
    {
        var first = _outbox.Add(Bounced);
        var second = _outbox.Add(new RelayEvent(RelayEventType.Suppressed, Bounced.At, "jane+news@example.net", FromDomain: "example.com", Kind: "hardBounce"));

        await StartAsync();
        await _outbox.WhenEmptyAsync();

        Assert.Equal([first, second], _outbox.Completed);
        Assert.Empty(_outbox.Retries);
        var posts = _webhook.Posts;
        Assert.Equal(2, posts.Count);
        Assert.All(posts, post =>
        {
            Assert.Equal(HttpMethod.Post, post.Method);
            Assert.Equal(new Uri(Settings.WebhookUrl!), post.Url);
            Assert.Equal("application/json; charset=utf-8", post.ContentType);
            Assert.True(WebhookVerifier.Verify(Secret, post.Signature, post.Body, _time.GetUtcNow(), TimeSpan.FromMinutes(5)));
            Assert.False(WebhookVerifier.Verify(Secret.Replace('8', '9'), post.Signature, post.Body, _time.GetUtcNow(), TimeSpan.FromMinutes(5)));
            // Replayed ten minutes later, the same POST is refused by its timestamp.
            Assert.False(WebhookVerifier.Verify(Secret, post.Signature, post.Body, _time.GetUtcNow().AddMinutes(10), TimeSpan.FromMinutes(5)));
        });
        using var json = JsonDocument.Parse(posts[0].Body);
        Assert.Equal(
            $$"""{"id":"{{first}}","type":"bounced","at":"2026-12-06T02:59:58.125Z","queueId":"0193A1B2C3D4E5F6A7B8C","messageId":"<m1@mail.example.com>","recipient":"jane+news@example.net","fromDomain":"example.com","kind":"hard","status":"5.1.1"}""",
            System.Text.Encoding.UTF8.GetString(posts[0].Body));
        using var suppressed = JsonDocument.Parse(posts[1].Body);
        Assert.Equal(JsonValueKind.Null, suppressed.RootElement.GetProperty("queueId").ValueKind);
        Assert.Equal("suppressed", suppressed.RootElement.GetProperty("type").GetString());
        Assert.Equal(["accepted", "accepted"], _results);
    }

    [Fact]
    public async Task Every_failure_is_retried_with_a_doubling_delay_and_the_same_body_until_the_receiver_answers_2xx()
    {
        _webhook.Answer(HttpStatusCode.InternalServerError).Hang().RefuseConnection().Answer(HttpStatusCode.Found);
        var id = _outbox.Add(Bounced);

        var idle = _time.NextTimerAsync(Poll);
        await StartAsync(waitIdle: false);
        await idle; // 500: retried later, nothing else due
        var delays = new List<TimeSpan> { NextDelay(0) };

        idle = _time.NextTimerAsync(Poll);
        var posting = _time.NextTimerAsync(PostTimeout);
        _time.Advance(delays[^1]);
        await posting; // the POST hangs until its timeout
        _time.Advance(PostTimeout);
        await idle;
        delays.Add(NextDelay(1));

        for (var failure = 2; failure < 4; failure++)
        {
            idle = _time.NextTimerAsync(Poll);
            _time.Advance(delays[^1]);
            await idle;
            delays.Add(NextDelay(failure));
        }

        _time.Advance(delays[^1]);
        await _outbox.WhenEmptyAsync();

        Assert.Equal([id], _outbox.Completed);
        for (var i = 0; i < delays.Count; i++)
        {
            var full = TimeSpan.FromSeconds(10 * Math.Pow(2, i));
            Assert.InRange(delays[i], full * (1 - WebhookBackoff.Jitter), full);
        }

        Assert.Equal(["server_error", "timeout", "unreachable", "refused", "accepted"], _results);
        Assert.Equal(5, _webhook.Posts.Count);
        Assert.All(_webhook.Posts, post => Assert.Equal(_webhook.Posts[0].Body, post.Body));
        var failures = _log.Entries.Where(e => e.EventId == EventIds.Feedback.EventNotAccepted).ToList();
        Assert.Equal(["ServerError", "Timeout", "Unreachable", "Refused"], failures.Select(e => e.Text("Result")));
        Assert.Equal(["1", "2", "3", "4"], failures.Select(e => e.Text("Failures")));
        Assert.All(failures, e => Assert.Equal("0193A1B2C3D4E5F6A7B8C", e.Text("QueueId")));
    }

    [Fact]
    public async Task Events_recorded_elsewhere_are_found_by_polling_alone()
    {
        await StartAsync();
        _outbox.Add(Bounced); // as another node would: no wakeup here

        Assert.Empty(_webhook.Posts);
        _time.Advance(Poll);
        await _outbox.WhenEmptyAsync();

        Assert.Single(_webhook.Posts);
    }

    [Fact]
    public async Task A_wakeup_sends_a_new_event_at_once_without_waiting_for_the_poll()
    {
        await StartAsync();
        _outbox.Add(Bounced);

        _wakeup.Notify();
        await _outbox.WhenEmptyAsync();

        Assert.Single(_webhook.Posts);
    }

    [Fact]
    public async Task An_outbox_that_fails_is_logged_and_read_again_at_the_next_poll()
    {
        _outbox.FailNext = 1;
        _outbox.Add(Bounced);

        await StartAsync();
        var failure = await _log.WaitForEventAsync(EventIds.Feedback.OutboxUnavailable);
        _time.Advance(Poll);
        await _outbox.WhenEmptyAsync();

        Assert.Equal("claim", failure.Text("Operation"));
        Assert.Single(_webhook.Posts);
    }

    [Fact]
    public async Task The_log_names_only_the_webhook_host_since_its_user_info_path_or_query_may_hold_a_token()
    {
        var settings = Settings;
        settings.WebhookUrl = "https://relay:hunter2@hooks.example:8443/relay?token=abc";
        await StartAsync(settings: settings);

        var started = await _log.WaitForEventAsync(EventIds.Feedback.WebhookStarted);

        Assert.Equal("https://hooks.example:8443", started.Text("Endpoint"));
        Assert.DoesNotContain("hunter2", started.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token", started.Message, StringComparison.Ordinal);
    }

    /// <summary>The wait before the next try that failure number <paramref name="index"/> (from 0) set, from now.</summary>
    private TimeSpan NextDelay(int index)
    {
        var retries = _outbox.Retries;
        Assert.Equal(index + 1, retries.Count);
        return retries[index].NextAttemptAt - _time.GetUtcNow();
    }

    /// <summary>Starts the sender; by default returns once it has sent what was due and waits for the next poll.</summary>
    private async Task StartAsync(bool waitIdle = true, EventsOptions? settings = null)
    {
        var idle = _time.NextTimerAsync(Poll);
        var metrics = new RelayMetrics(_services.GetRequiredService<IMeterFactory>());
        _sender = new WebhookSender(_outbox, _wakeup, _webhook, Options.Create(settings ?? Settings), _time, metrics, _log, new Random(16));
        await _sender.StartAsync(CancellationToken.None);
        if (waitIdle)
        {
            await idle;
        }
    }

    private static MeterListener WebhookResults(IMeterFactory factory, List<string> results)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == "relaysigner.webhook.requests")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (results)
            {
                results.Add((string)tags[0].Value!);
            }
        });
        listener.Start();
        return listener;
    }
}
