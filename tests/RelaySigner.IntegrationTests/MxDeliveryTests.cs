using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RelaySigner.Core.Telemetry;
using RelaySigner.Delivery;
using RelaySigner.Delivery.Routing;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;
using RelaySigner.Tools;

namespace RelaySigner.IntegrationTests;

/// <summary>MX resolution with DnsClient against a real DNS server (unbound) on loopback, and MX delivery end to end.</summary>
public sealed class MxDeliveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempFolder _queue = new();
    private UnboundServer _dns = null!;

    /// <summary>
    /// <c>mx.test</c> (MX 10 mx1, MX 20 mx2), <c>eq.test</c> (two MX of equal preference), <c>skip.test</c> (its
    /// preferred MX host has no address), <c>implicit.test</c> (A and AAAA, no MX), <c>sender.test</c> (MX → mx1, for
    /// bounces), <c>nullmx.test</c> (RFC 7505 "MX 0 ."); any other name is NXDOMAIN and <c>servfail.test</c> fails.
    /// Every address is 127.0.0.1 or ::1.
    /// </summary>
    private static readonly string[] Zones =
    [
        "mx.test. MX 10 mx1.mx.test.",
        "mx.test. MX 20 mx2.mx.test.",
        "mx1.mx.test. A 127.0.0.1",
        "mx1.mx.test. AAAA ::1",
        "mx2.mx.test. A 127.0.0.1",
        "eq.test. MX 10 a.eq.test.",
        "eq.test. MX 10 b.eq.test.",
        "a.eq.test. A 127.0.0.1",
        "b.eq.test. A 127.0.0.1",
        "skip.test. MX 10 noaddress.skip.test.",
        "skip.test. MX 20 mx2.mx.test.",
        "noaddress.skip.test. TXT \"no address here\"",
        "implicit.test. A 127.0.0.1",
        "implicit.test. AAAA ::1",
        "sender.test. MX 10 mx1.mx.test.",
        "nullmx.test. MX 0 .",
    ];

    public async Task InitializeAsync() => _dns = await UnboundServer.StartAsync(Zones, servfailZones: ["servfail.test"]);

    public async Task DisposeAsync()
    {
        await _dns.DisposeAsync();
        _queue.Dispose();
    }

    private DestinationResolver Resolver() => new(
        Options.Create(new DeliveryOptions { DnsServer = _dns.Endpoint.ToString(), MxPort = 2500 }), NullLogger<DestinationResolver>.Instance);

    [Fact]
    public async Task Mx_hosts_come_in_preference_order_with_their_addresses()
    {
        var route = (await Resolver().ResolveAsync("mx.test", CancellationToken.None)).Route;

        Assert.NotNull(route);
        Assert.Equal(["mx1.mx.test", "mx2.mx.test"], route.Hosts.Select(h => h.HostName));
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], route.Hosts[0].Addresses);
        Assert.Equal([IPAddress.Loopback], route.Hosts[1].Addresses);
        Assert.All(route.Hosts, h => Assert.Equal(2500, h.Port));
    }

    [Fact]
    public async Task Mx_hosts_of_equal_preference_come_in_random_order()
    {
        var resolver = Resolver();
        var orders = new HashSet<string>();
        for (var i = 0; i < 40 && orders.Count < 2; i++)
        {
            var route = (await resolver.ResolveAsync("eq.test", CancellationToken.None)).Route!;
            orders.Add(string.Join(",", route.Hosts.Select(h => h.HostName)));
        }

        Assert.Equal(["a.eq.test,b.eq.test", "b.eq.test,a.eq.test"], orders.Order());
    }

    [Fact]
    public async Task An_mx_host_without_an_address_is_skipped()
    {
        var route = (await Resolver().ResolveAsync("skip.test", CancellationToken.None)).Route;
        Assert.Equal(["mx2.mx.test"], route!.Hosts.Select(h => h.HostName));
    }

    [Fact]
    public async Task A_domain_without_mx_is_its_own_mail_host()
    {
        var route = (await Resolver().ResolveAsync("implicit.test", CancellationToken.None)).Route;

        var host = Assert.Single(route!.Hosts);
        Assert.Equal("implicit.test", host.HostName);
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], host.Addresses);
    }

    [Theory]
    [InlineData("nullmx.test", 556, "5.1.10")]
    [InlineData("missing.test", 550, "5.1.2")]
    public async Task Null_mx_and_nxdomain_are_permanent(string domain, int code, string enhanced)
    {
        var resolution = await Resolver().ResolveAsync(domain, CancellationToken.None);

        Assert.True(resolution.IsPermanentFailure);
        Assert.Equal(code, resolution.Failure!.Code);
        Assert.Equal(enhanced, resolution.Failure.EnhancedCode);
    }

    [Fact]
    public async Task Servfail_is_temporary()
    {
        var resolution = await Resolver().ResolveAsync("x.servfail.test", CancellationToken.None);

        Assert.False(resolution.IsResolved);
        Assert.False(resolution.IsPermanentFailure);
        Assert.Equal("4.4.3", resolution.Failure!.EnhancedCode);
    }

    [Fact]
    public async Task A_message_goes_to_the_preferred_mx_and_dns_failures_bounce_or_wait_per_recipient()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint,
            ("Relay:Delivery:Smarthost", string.Empty),
            ("Relay:Delivery:DnsServer", _dns.Endpoint.ToString()),
            ("Relay:Delivery:MxPort", sink.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Relay:Delivery:HeloName", "relay.test"));
        var sent = Submission.Message("app@example.com", "ok@mx.test");

        await Submission.SendAsync(relay.Port, "bounces@sender.test",
            ["ok@mx.test", "nobody@nullmx.test", "x@missing.test", "later@x.servfail.test"], sent);

        var first = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        var second = await sink.Received.ReadAsync().AsTask().WaitAsync(Patience);
        var original = first.Sender.Length > 0 ? first : second;
        var dsn = first.Sender.Length > 0 ? second : first;

        Assert.Equal(["ok@mx.test"], original.Recipients);
        Assert.True(original.Content.AsSpan().EndsWith(sent));
        await relay.Logs.WaitForEventAsync(
            EventIds.Delivery.RecipientRelayed,
            e => Equals(e["Recipient"], "ok@mx.test") && Equals(e["Host"], "mx1.mx.test") && Equals(e["Ip"], "127.0.0.1") && Equals(e["Status"], "sent"),
            Patience);
        await relay.Logs.WaitForEventAsync(EventIds.Delivery.RecipientNotRelayed, e => Equals(e["Recipient"], "later@x.servfail.test") && Equals(e["Status"], "deferred"), Patience);

        Assert.Equal(string.Empty, dsn.Sender);
        Assert.Equal(["bounces@sender.test"], dsn.Recipients);
        var report = Encoding.UTF8.GetString(dsn.Content);
        Assert.Contains("Final-Recipient: rfc822; nobody@nullmx.test", report);
        Assert.Contains("Status: 5.1.10", report);
        Assert.Contains("Final-Recipient: rfc822; x@missing.test", report);
        Assert.Contains("Status: 5.1.2", report);
        Assert.DoesNotContain("later@x.servfail.test", report);
        Assert.DoesNotContain("Final-Recipient: rfc822; ok@mx.test", report);
    }

    [Fact]
    public async Task A_recipient_whose_domain_does_not_exist_is_suppressed_and_the_next_message_to_it_is_refused_at_data()
    {
        await using var sink = SmtpSink.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var relay = await RelayUnderTest.StartAsync(_queue.Path, sink.Endpoint,
            ("Relay:Delivery:Smarthost", string.Empty),
            ("Relay:Delivery:DnsServer", _dns.Endpoint.ToString()),
            ("Relay:Delivery:MxPort", sink.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var message = Submission.Message("app@news.example.com", "x@missing.test");

        await Submission.SendAsync(relay.Port, "bounces@sender.test", ["x@missing.test"], message);
        var suppressed = await relay.Logs.WaitForEventAsync(EventIds.Queue.RecipientSuppressed, Patience);
        var refused = await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(() =>
            Submission.SendAsync(relay.Port, "bounces@sender.test", ["x@missing.test"], message));

        Assert.Equal(("x@missing.test", "example.com", "5.1.2"), (suppressed.Text("Recipient"), suppressed.Text("Domain"), suppressed.Text("Status")));
        Assert.Equal(550, (int)refused.StatusCode);
        Assert.Contains("5.7.1 recipient suppressed for mail from example.com: hard bounce on ", refused.Message);
    }
}
