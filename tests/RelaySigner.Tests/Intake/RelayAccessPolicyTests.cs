using System.Net;
using Microsoft.Extensions.Options;
using RelaySigner.Intake;
using RelaySigner.Intake.Policy;

namespace RelaySigner.Tests.Intake;

public sealed class RelayAccessPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("192.0.2.10", false)]
    [InlineData("2001:db8::1", false)]
    public void By_default_only_loopback_may_relay_unauthenticated(string client, bool allowed)
    {
        var policy = new RelayAccessPolicy(Options.Create(new SmtpOptions()));
        var address = IPAddress.Parse(client);
        Assert.Equal(allowed, policy.MayRelay(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, authenticated: false));
    }

    [Fact]
    public void Configured_networks_replace_the_default_and_authenticated_clients_may_always_relay()
    {
        var policy = new RelayAccessPolicy(Options.Create(new SmtpOptions { AllowedNetworks = ["192.0.2.0/24"] }));

        Assert.True(policy.MayRelay(IPAddress.Parse("192.0.2.77"), authenticated: false));
        Assert.False(policy.MayRelay(IPAddress.Loopback, authenticated: false));
        Assert.True(policy.MayRelay(IPAddress.Loopback, authenticated: true));
        Assert.False(policy.MayRelay(null, authenticated: false));
    }
}
