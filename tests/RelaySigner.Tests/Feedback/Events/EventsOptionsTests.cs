using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Feedback;
using RelaySigner.Feedback;
using RelaySigner.Feedback.Events;
using RelaySigner.Feedback.Metrics;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Feedback.Events;

public sealed class EventsOptionsTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void Without_a_webhook_url_events_are_off_and_no_secret_is_needed()
    {
        var options = new EventsOptions();

        Assert.False(options.Enabled);
        Assert.True(new EventsOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("https://hooks.example/relay", Secret, null)]
    [InlineData("http://127.0.0.1:8080/events", Secret, null)]
    [InlineData("/relative/path", Secret, "Relay:Events:WebhookUrl '/relative/path' must be an absolute http or https URL.")]
    [InlineData("ftp://hooks.example/", Secret, "Relay:Events:WebhookUrl 'ftp://hooks.example/' must be an absolute http or https URL.")]
    [InlineData("https://hooks.example/", null, "Relay:Events:Secret is required with Relay:Events:WebhookUrl")]
    [InlineData("https://hooks.example/", "short", "Relay:Events:Secret must be at least 32 characters (it has 5)")]
    public void The_url_must_be_absolute_http_and_the_secret_long_enough(string url, string? secret, string? error)
    {
        var result = new EventsOptionsValidator().Validate(null, new EventsOptions { WebhookUrl = url, Secret = secret });

        if (error is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.Contains(result.Failures!, f => f.StartsWith(error, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_key()
    {
        var result = new EventsOptionsValidator().Validate(null, new EventsOptions
        {
            WebhookUrl = "nonsense",
            Timeout = TimeSpan.Zero,
            PollInterval = TimeSpan.FromSeconds(-1),
            RetryDelay = TimeSpan.FromMinutes(5),
            MaxRetryDelay = TimeSpan.FromMinutes(1),
            MaxBatch = 0,
            MaxConcurrentRequests = 100,
        });

        Assert.Equal(
            ["WebhookUrl", "Secret", "Timeout", "PollInterval", "MaxRetryDelay", "MaxBatch", "MaxConcurrentRequests"],
            result.Failures!.Select(f => f.Split(' ')[0].Split(':')[2]));
    }

    [Fact]
    public void Without_a_webhook_url_no_sender_runs_and_no_outbox_is_needed()
    {
        using var services = Build([]);

        var hosted = services.GetServices<IHostedService>().ToList();

        Assert.DoesNotContain(hosted, h => h is WebhookSender);
        Assert.Contains(hosted, h => h is FeedbackGauges);
    }

    [Fact]
    public void With_a_webhook_url_the_sender_needs_the_events_outbox_and_says_so()
    {
        var settings = new Dictionary<string, string?> { ["Relay:Events:WebhookUrl"] = "https://hooks.example/", ["Relay:Events:Secret"] = Secret };
        using var without = Build(settings);
        using var with = Build(settings, s => s.AddSingleton<IEventOutbox>(new InMemoryEventOutbox(TimeProvider.System)));

        var error = Assert.Throws<InvalidOperationException>(() => without.GetServices<IHostedService>().ToList());

        Assert.Contains("Relay:Events:WebhookUrl is set but this relay has no events outbox", error.Message);
        Assert.Contains(with.GetServices<IHostedService>(), h => h is WebhookSender);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection().AddLogging();
        more?.Invoke(services);
        return services.AddRelayFeedback(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
    }
}
