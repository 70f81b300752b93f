using System.Net;
using RelaySigner.Core.Net;

namespace RelaySigner.Tests.Core;

/// <summary>
/// <c>Relay:Delivery:DnsServer</c> and <c>--dns-server</c> are read by one parser: the relay's MX lookups, its
/// published-key guard and the DNS verbs never disagree on which resolver a value names.
/// </summary>
public sealed class ResolverAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1:53")]
    [InlineData("127.0.0.1:5353", "127.0.0.1:5353")]
    [InlineData("::1", "[::1]:53")]
    [InlineData("[::1]:5353", "[::1]:5353")]
    public void An_ip_literal_with_an_optional_port_names_a_resolver(string value, string expected)
    {
        Assert.True(HostEndpoint.TryParseResolver(value, out var resolver));
        Assert.Equal(IPEndPoint.Parse(expected), resolver);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void Empty_means_the_systems_resolver(string? value)
    {
        Assert.True(HostEndpoint.TryParseResolver(value, out var resolver));
        Assert.Null(resolver);
    }

    [Theory]
    [InlineData("1.2")] // inet_aton would read 1.0.0.2
    [InlineData("dns.example")] // a resolver must be an address: looking it up would need a resolver
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("::1:5353x")]
    public void Anything_else_is_refused(string value)
    {
        Assert.False(HostEndpoint.TryParseResolver(value, out _));
        Assert.Throws<FormatException>(() => HostEndpoint.ParseResolver(value));
    }
}
