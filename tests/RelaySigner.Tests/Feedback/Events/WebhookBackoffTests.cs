using RelaySigner.Core.Feedback;
using RelaySigner.Feedback.Events;

namespace RelaySigner.Tests.Feedback.Events;

public sealed class WebhookBackoffTests
{
    private static readonly EventsOptions Settings = new() { RetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromHours(1) };

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(5, 160)]
    [InlineData(9, 2560)]
    [InlineData(10, 3600)] // 5120 s, capped at an hour
    [InlineData(10_000, 3600)] // no overflow, and no last try: still an hour
    public void The_delay_doubles_with_each_failure_up_to_the_cap_less_at_most_the_jitter(int failures, int fullSeconds)
    {
        var backoff = new WebhookBackoff(Settings, new Random(failures));
        var full = TimeSpan.FromSeconds(fullSeconds);

        var delays = Enumerable.Range(0, 200).Select(_ => backoff.DelayAfter(failures)).ToList();

        Assert.All(delays, d => Assert.InRange(d, full * (1 - WebhookBackoff.Jitter), full));
        Assert.True(delays.Distinct().Count() > 100, "the delays are spread, not one value");
    }
}
