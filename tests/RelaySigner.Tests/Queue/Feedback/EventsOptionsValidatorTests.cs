using RelaySigner.Core.Feedback;
using RelaySigner.Queue.Feedback;

namespace RelaySigner.Tests.Queue.Feedback;

public sealed class EventsOptionsValidatorTests
{
    [Fact]
    public void No_webhook_needs_nothing_else() =>
        Assert.True(new EventsOptionsValidator().Validate(null, new EventsOptions()).Succeeded);

    [Fact]
    public void A_webhook_needs_an_http_url_and_a_secret_reported_together()
    {
        var result = new EventsOptionsValidator().Validate(null, new EventsOptions { WebhookUrl = "ftp://app.example/events" });

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("Relay:Events:WebhookUrl must be an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Relay__Events__Secret", StringComparison.Ordinal));
        Assert.True(new EventsOptionsValidator().Validate(null,
            new EventsOptions { WebhookUrl = "https://app.example/events", Secret = "s" }).Succeeded);
    }
}
