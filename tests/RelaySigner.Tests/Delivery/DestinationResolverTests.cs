using System.Net;
using Microsoft.Extensions.Options;
using RelaySigner.Core;
using RelaySigner.Core.Net;
using RelaySigner.Delivery;
using RelaySigner.Delivery.Routing;

namespace RelaySigner.Tests.Delivery;

public sealed class DestinationResolverTests
{
    [Fact]
    public async Task A_smarthost_ip_literal_is_the_route_for_every_domain_without_dns()
    {
        var dns = new FakeDns();
        var resolver = Resolver(new DeliveryOptions { Smarthost = "127.0.0.1:2525" }, dns);

        var first = await resolver.ResolveAsync("dest.test", CancellationToken.None);
        var second = await resolver.ResolveAsync("other.test", CancellationToken.None);

        foreach (var result in new[] { first, second })
        {
            Assert.True(result.IsResolved);
            var host = Assert.Single(result.Route.Hosts);
            Assert.Equal("127.0.0.1", host.HostName);
            Assert.Equal([IPAddress.Loopback], host.Addresses);
            Assert.Equal(2525, host.Port);
        }

        Assert.Empty(dns.Questions);
    }

    [Fact]
    public async Task A_smarthost_ipv6_literal_needs_brackets_for_its_port()
    {
        var resolver = Resolver(new DeliveryOptions { Smarthost = "[::1]:2526" }, new FakeDns());

        var result = await resolver.ResolveAsync("dest.test", CancellationToken.None);

        var host = Assert.Single(result.Route!.Hosts);
        Assert.Equal([IPAddress.IPv6Loopback], host.Addresses);
        Assert.Equal(2526, host.Port);
    }

    [Fact]
    public async Task A_smarthost_name_is_resolved_and_kept_for_sni()
    {
        var dns = new FakeDns { Addresses = { ["relay.provider.test"] = Ok(IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")) } };
        var resolver = Resolver(new DeliveryOptions { Smarthost = "relay.provider.test.:587" }, dns);

        var result = await resolver.ResolveAsync("dest.test", CancellationToken.None);

        var host = Assert.Single(result.Route!.Hosts);
        Assert.Equal("relay.provider.test", host.HostName);
        Assert.Equal([IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")], host.Addresses);
        Assert.Equal(587, host.Port);
        Assert.Equal(["A/AAAA relay.provider.test"], dns.Questions);
    }

    [Fact]
    public async Task A_smarthost_that_cannot_be_resolved_is_a_temporary_failure()
    {
        var dns = new FakeDns { Addresses = { ["relay.provider.test"] = new AddressLookupResult(DnsLookupStatus.NotFound, [], null) } };
        var resolver = Resolver(new DeliveryOptions { Smarthost = "relay.provider.test:25" }, dns);

        var result = await resolver.ResolveAsync("dest.test", CancellationToken.None);

        Assert.False(result.IsResolved);
        Assert.False(result.IsPermanentFailure);
        Assert.Equal(451, result.Failure.Code);
        Assert.Equal("4.4.3", result.Failure.EnhancedCode);
    }

    [Fact]
    public async Task Localhost_as_smarthost_is_loopback_without_dns()
    {
        var dns = new FakeDns();
        var resolver = Resolver(new DeliveryOptions { Smarthost = "localhost:2525" }, dns);

        var result = await resolver.ResolveAsync("dest.test", CancellationToken.None);

        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], Assert.Single(result.Route!.Hosts).Addresses);
        Assert.Empty(dns.Questions);
    }

    [Theory]
    [InlineData("mx.example.test:2525", "mx.example.test", false, 2525)]
    [InlineData("mx.example.test", "mx.example.test", false, 25)]
    [InlineData("mx.example.test.", "mx.example.test", false, 25)]
    [InlineData(" 192.0.2.1:26 ", "192.0.2.1", true, 26)]
    [InlineData("192.0.2.1", "192.0.2.1", true, 25)]
    [InlineData("[192.0.2.1]:27", "192.0.2.1", true, 27)]
    [InlineData("[2001:db8::1]:28", "2001:db8::1", true, 28)]
    [InlineData("[IPv6:2001:db8::1]", "2001:db8::1", true, 25)]
    [InlineData("2001:db8::1", "2001:db8::1", true, 25)]
    [InlineData("[relay.test]:587", "relay.test", false, 587)]
    public void Endpoints_parse(string text, string host, bool isIp, int port)
    {
        Assert.True(HostEndpoint.TryParse(text, 25, out var endpoint));
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(isIp, endpoint.Address is not null);
        Assert.Equal(port, endpoint.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("mx.example.test:0")]
    [InlineData("mx.example.test:65536")]
    [InlineData("mx.example.test:smtp")]
    [InlineData("mx.example.test:")]
    [InlineData("[2001:db8::1")]
    [InlineData("[2001:db8::1]2525")]
    [InlineData("bad host:25")]
    [InlineData("-bad.test")]
    [InlineData("a..b")]
    public void Bad_endpoints_do_not_parse(string text)
    {
        Assert.False(HostEndpoint.TryParse(text, 25, out _));
    }

    [Fact]
    public void An_unparseable_smarthost_is_refused_at_construction()
    {
        Assert.Throws<OptionsValidationException>(() => Resolver(new DeliveryOptions { Smarthost = "bad host:25" }, new FakeDns()));
    }

    [Fact]
    public async Task Mx_hosts_come_in_preference_order_without_trailing_dots_on_the_mx_port()
    {
        var dns = new FakeDns
        {
            Mx = { ["dest.test"] = new MxLookupResult(DnsLookupStatus.Ok, [new(20, "backup.dest.test."), new(10, "mx1.dest.test.")], null) },
            Addresses =
            {
                ["mx1.dest.test"] = Ok(IPAddress.Parse("192.0.2.1")),
                ["backup.dest.test"] = Ok(IPAddress.Parse("192.0.2.2")),
            },
        };
        var resolver = Resolver(new DeliveryOptions { MxPort = 2525 }, dns);

        var result = await resolver.ResolveAsync("Dest.Test.", CancellationToken.None);

        Assert.Equal("dest.test", result.Route!.Name);
        Assert.Equal(["mx1.dest.test", "backup.dest.test"], result.Route.Hosts.Select(h => h.HostName));
        Assert.All(result.Route.Hosts, h => Assert.Equal(2525, h.Port));
    }

    [Fact]
    public async Task Mx_hosts_of_equal_preference_are_shuffled()
    {
        var dns = new FakeDns
        {
            Mx = { ["dest.test"] = new MxLookupResult(DnsLookupStatus.Ok, [new(10, "a.dest.test."), new(10, "b.dest.test."), new(5, "first.dest.test.")], null) },
            Addresses =
            {
                ["first.dest.test"] = Ok(IPAddress.Parse("192.0.2.1")),
                ["a.dest.test"] = Ok(IPAddress.Parse("192.0.2.2")),
                ["b.dest.test"] = Ok(IPAddress.Parse("192.0.2.3")),
            },
        };

        var orders = new HashSet<string>();
        for (var seed = 0; seed < 32; seed++)
        {
            var resolver = new DestinationResolver(new DeliveryOptions(), dns, new AwaitableLogger<DestinationResolver>(), new Random(seed));
            var result = await resolver.ResolveAsync("dest.test", CancellationToken.None);
            var names = result.Route!.Hosts.Select(h => h.HostName).ToList();
            Assert.Equal("first.dest.test", names[0]);
            orders.Add(string.Join(",", names));
        }

        Assert.Equal(
            ["first.dest.test,a.dest.test,b.dest.test", "first.dest.test,b.dest.test,a.dest.test"],
            orders.Order());
    }

    [Fact]
    public async Task Mx_hosts_without_addresses_are_skipped()
    {
        var dns = new FakeDns
        {
            Mx = { ["dest.test"] = new MxLookupResult(DnsLookupStatus.Ok, [new(10, "gone.dest.test."), new(20, "mx2.dest.test.")], null) },
            Addresses =
            {
                ["gone.dest.test"] = new AddressLookupResult(DnsLookupStatus.NotFound, [], null),
                ["mx2.dest.test"] = Ok(IPAddress.Parse("192.0.2.2")),
            },
        };

        var result = await Resolver(new DeliveryOptions(), dns).ResolveAsync("dest.test", CancellationToken.None);

        Assert.Equal("mx2.dest.test", Assert.Single(result.Route!.Hosts).HostName);
    }

    [Fact]
    public async Task No_mx_records_means_the_domain_itself()
    {
        var dns = new FakeDns
        {
            Mx = { ["dest.test"] = new MxLookupResult(DnsLookupStatus.Ok, [], null) },
            Addresses = { ["dest.test"] = Ok(IPAddress.Parse("192.0.2.7")) },
        };

        var result = await Resolver(new DeliveryOptions(), dns).ResolveAsync("dest.test", CancellationToken.None);

        var host = Assert.Single(result.Route!.Hosts);
        Assert.Equal("dest.test", host.HostName);
        Assert.Equal([IPAddress.Parse("192.0.2.7")], host.Addresses);
        Assert.Equal(25, host.Port);
    }

    [Fact]
    public async Task A_null_mx_is_a_permanent_5_1_10()
    {
        var dns = new FakeDns { Mx = { ["dest.test"] = new MxLookupResult(DnsLookupStatus.Ok, [new(0, ".")], null) } };

        var result = await Resolver(new DeliveryOptions(), dns).ResolveAsync("dest.test", CancellationToken.None);

        Assert.True(result.IsPermanentFailure);
        Assert.Equal(556, result.Failure!.Code);
        Assert.Equal("5.1.10", result.Failure.EnhancedCode);
        var outcome = Assert.Single(result.OutcomesFor(["a@dest.test"]));
        Assert.Equal(RelaySigner.Core.Queue.RecipientStatus.Failed, outcome.Status);
    }

    [Fact]
    public async Task Nxdomain_is_permanent_and_a_lookup_failure_temporary()
    {
        var dns = new FakeDns
        {
            Mx =
            {
                ["gone.test"] = new MxLookupResult(DnsLookupStatus.NotFound, [], null),
                ["flaky.test"] = new MxLookupResult(DnsLookupStatus.Temporary, [], "MX lookup for flaky.test: Server Failure"),
            },
        };
        var resolver = Resolver(new DeliveryOptions(), dns);

        var gone = await resolver.ResolveAsync("gone.test", CancellationToken.None);
        var flaky = await resolver.ResolveAsync("flaky.test", CancellationToken.None);

        Assert.True(gone.IsPermanentFailure);
        Assert.Equal("5.1.2", gone.Failure!.EnhancedCode);
        Assert.False(flaky.IsResolved);
        Assert.False(flaky.IsPermanentFailure);
        Assert.Equal(new SmtpReply(451, "4.4.3", "MX lookup for flaky.test failed: MX lookup for flaky.test: Server Failure"), flaky.Failure);
        Assert.Equal(RelaySigner.Core.Queue.RecipientStatus.Pending, Assert.Single(flaky.OutcomesFor(["a@flaky.test"])).Status);
    }

    [Fact]
    public async Task An_address_literal_domain_goes_straight_to_that_address()
    {
        var dns = new FakeDns();

        var result = await Resolver(new DeliveryOptions(), dns).ResolveAsync("[127.0.0.1]", CancellationToken.None);

        Assert.Equal([IPAddress.Loopback], Assert.Single(result.Route!.Hosts).Addresses);
        Assert.Empty(dns.Questions);
    }

    private static DestinationResolver Resolver(DeliveryOptions options, FakeDns dns) =>
        new(options, dns, new AwaitableLogger<DestinationResolver>(), new Random(1));

    private static AddressLookupResult Ok(params IPAddress[] addresses) => new(DnsLookupStatus.Ok, addresses, null);

    private sealed class FakeDns : IDnsLookup
    {
        public Dictionary<string, MxLookupResult> Mx { get; } = [];

        public Dictionary<string, AddressLookupResult> Addresses { get; } = [];

        public List<string> Questions { get; } = [];

        public Task<MxLookupResult> LookupMxAsync(string domain, CancellationToken cancellationToken)
        {
            lock (Questions)
            {
                Questions.Add($"MX {domain}");
            }

            return Task.FromResult(Mx.TryGetValue(domain, out var result)
                ? result
                : new MxLookupResult(DnsLookupStatus.NotFound, [], null));
        }

        public Task<AddressLookupResult> LookupAddressesAsync(string host, CancellationToken cancellationToken)
        {
            lock (Questions)
            {
                Questions.Add($"A/AAAA {host}");
            }

            return Task.FromResult(Addresses.TryGetValue(host, out var result)
                ? result
                : new AddressLookupResult(DnsLookupStatus.NotFound, [], null));
        }
    }
}
