using RelaySigner.Delivery;
using RelaySigner.Delivery.Scheduling;

namespace RelaySigner.Tests.Delivery;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Without_jitter_each_attempt_takes_its_step_and_the_last_step_repeats()
    {
        var schedule = new RetrySchedule(new DeliveryOptions { RetryJitter = 0 }, new Random(1));
        var now = Received + TimeSpan.FromHours(1);

        Assert.Equal(now + TimeSpan.FromMinutes(1), schedule.NextAttemptAt(now, Received, 1));
        Assert.Equal(now + TimeSpan.FromMinutes(5), schedule.NextAttemptAt(now, Received, 2));
        Assert.Equal(now + TimeSpan.FromHours(2), schedule.NextAttemptAt(now, Received, 6));
        Assert.Equal(now + TimeSpan.FromHours(4), schedule.NextAttemptAt(now, Received, 7));
        Assert.Equal(now + TimeSpan.FromHours(4), schedule.NextAttemptAt(now, Received, 100));
    }

    [Fact]
    public void Jitter_spreads_delays_within_the_configured_fraction_both_ways()
    {
        var schedule = new RetrySchedule(new DeliveryOptions { RetryJitter = 0.2 }, new Random(42));
        var delays = Enumerable.Range(0, 500)
            .Select(_ => schedule.NextAttemptAt(Received, Received, 5) - Received) // step 1 h
            .ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMinutes(48), TimeSpan.FromMinutes(72)));
        Assert.Contains(delays, d => d < TimeSpan.FromMinutes(54));
        Assert.Contains(delays, d => d > TimeSpan.FromMinutes(66));
        Assert.True(delays.Distinct().Count() > 400, "delays are spread, not a few fixed values");
    }

    [Fact]
    public void The_next_attempt_never_lies_beyond_the_max_age()
    {
        var options = new DeliveryOptions { RetryJitter = 0, MaxAge = TimeSpan.FromHours(5) };
        var schedule = new RetrySchedule(options, new Random(1));

        var nearEnd = Received + TimeSpan.FromHours(4);
        Assert.Equal(Received + TimeSpan.FromHours(5), schedule.NextAttemptAt(nearEnd, Received, 7));
        var past = Received + TimeSpan.FromHours(6);
        Assert.Equal(past, schedule.NextAttemptAt(past, Received, 8));
    }
}
