using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RelaySigner.Intake;
using RelaySigner.Intake.Auth;

namespace RelaySigner.Tests.Intake;

public sealed class AuthFailureThrottleTests
{
    [Fact]
    public void An_ip_is_blocked_after_max_failures_within_the_window_and_free_again_once_they_age_out()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = new AuthFailureThrottle(Options.Create(new SmtpOptions { MaxAuthFailures = 3, AuthFailureWindow = TimeSpan.FromMinutes(10) }), time);
        var guesser = IPAddress.Parse("192.0.2.1");

        Assert.False(throttle.RecordFailure(guesser));
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.False(throttle.RecordFailure(guesser));
        Assert.True(throttle.RecordFailure(guesser));
        Assert.True(throttle.IsBlocked(guesser));
        Assert.False(throttle.IsBlocked(IPAddress.Parse("192.0.2.2")));

        time.Advance(TimeSpan.FromMinutes(5)); // the first failure is now older than the window
        Assert.False(throttle.IsBlocked(guesser));
    }
}
