using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RelaySigner.Intake;
using RelaySigner.Intake.Listening;

namespace RelaySigner.Tests.Intake;

public sealed class ConnectionLimiterTests
{
    [Fact]
    public void Caps_apply_per_client_and_overall_and_a_released_lease_frees_its_slot_once()
    {
        var limiter = new ConnectionLimiter(Options.Create(new SmtpOptions { MaxConnections = 3, MaxConnectionsPerClient = 2 }), NullLogger<ConnectionLimiter>.Instance);
        var a = IPAddress.Parse("192.0.2.1");
        var b = IPAddress.Parse("192.0.2.2");

        var a1 = limiter.TryAcquire(a);
        Assert.NotNull(limiter.TryAcquire(a));
        Assert.Null(limiter.TryAcquire(a));
        Assert.NotNull(limiter.TryAcquire(b));
        Assert.Null(limiter.TryAcquire(b));

        a1!.Dispose();
        a1.Dispose();
        Assert.NotNull(limiter.TryAcquire(b));
        Assert.Null(limiter.TryAcquire(a));
    }
}
