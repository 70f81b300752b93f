using System.CommandLine;
using System.Net;
using System.Text.Json;
using RelaySigner.Cli;
using RelaySigner.Dmarc.Checks;
using RelaySigner.Dmarc.Lookup;
using RelaySigner.Dmarc.Records;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Signing.Alignment;
using RelaySigner.Signing.Keys;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests;

/// <summary>The DNS checks against a real DNS server (unbound on loopback) serving zones written for them.</summary>
public sealed class DnsCheckTests : IAsyncLifetime
{
    private UnboundServer _dns = null!;

    private static readonly IPAddress RelayAddress = IPAddress.Parse("192.0.2.10");

    public async Task InitializeAsync() => _dns = await UnboundServer.StartAsync(
    [
        "example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.0/28 include:_spf.example.net -all\"",
        "_spf.example.net. 300 IN TXT \"v=spf1 ip4:198.51.100.0/24 ~all\"",
        $"demo2026._domainkey.example.com. 300 IN TXT {DemoKeyRecord.ZoneData}",
        "testing._domainkey.example.com. 300 IN TXT " + DemoKeyRecord.ZoneData.Replace("v=DKIM1; k=rsa;", "v=DKIM1; t=y; k=rsa;"),
        "other._domainkey.example.com. 300 IN TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"",
        "revoked._domainkey.example.com. 300 IN TXT \"v=DKIM1; k=rsa; p=\"",
        "_dmarc.example.com. 300 IN TXT \"v=DMARC1; p=none; sp=quarantine; rua=mailto:dmarc@example.com\"",
        "_dmarc.co.uk. 300 IN TXT \"v=DMARC1; p=reject\"",
        "two.example. 300 IN TXT \"v=spf1 -all\"",
        "two.example. 300 IN TXT \"v=spf1 ip4:192.0.2.10 -all\"",
        "_dmarc.two.example. 300 IN TXT \"v=DMARC1; p=block\"",
        "open.example. 300 IN TXT \"v=spf1 +all\"",
        "many.example. 300 IN TXT \"v=spf1 a mx ptr exists:x.many.example include:n1.many.example include:n2.many.example ip4:192.0.2.10 -all\"",
        "n1.many.example. 300 IN TXT \"v=spf1 a mx include:n2.many.example -all\"",
        "n2.many.example. 300 IN TXT \"v=spf1 a mx a:b.many.example -all\"",
        "loop.example. 300 IN TXT \"v=spf1 include:loop2.example -all\"",
        "loop2.example. 300 IN TXT \"v=spf1 include:loop.example -all\"",
        "bounces.example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.0/28 -all\"",
        "bounces.example.com. 300 IN MX 10 relay.example.com.",
    ]);

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    private static Org.BouncyCastle.Crypto.AsymmetricKeyParameter DemoPublicKey() =>
        PublicKeys.Of(KeyFileReader.Read(Path.Combine(RepositoryRoot.KeysExample, "example.com", "demo2026.pem")).Key);

    private DkimSelectorCheck Dkim() => new(new TxtLookup(_dns.Endpoint));

    [Fact]
    public async Task A_published_key_that_matches_the_private_key_passes()
    {
        var results = await Dkim().CheckAsync("example.com", "demo2026", DemoPublicKey(), default);

        var result = Assert.Single(results);
        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.Contains("matches the private key (rsa 2048 bits)", result.Detail);
    }

    [Theory]
    [InlineData("missing", "no key record at missing._domainkey.example.com")]
    [InlineData("other", "not the public half")]
    [InlineData("revoked", "revoked")]
    public async Task A_missing_different_or_revoked_key_fails(string selector, string reason)
    {
        var results = await Dkim().CheckAsync("example.com", selector, DemoPublicKey(), default);

        Assert.Contains(results, r => r.Status == CheckStatus.Fail && r.Detail.Contains(reason));
    }

    [Fact]
    public async Task The_testing_flag_is_a_warning()
    {
        var results = await Dkim().CheckAsync("example.com", "testing", DemoPublicKey(), default);

        Assert.Contains(results, r => r.Status == CheckStatus.Pass);
        Assert.Contains(results, r => r.Status == CheckStatus.Warn && r.Detail.Contains("t=y"));
    }

    private SpfCheck Spf() => new(new TxtLookup(_dns.Endpoint), new SpfEvaluator(_dns.Endpoint));

    [Fact]
    public async Task An_spf_record_that_authorises_the_relay_passes_and_counts_nested_lookups()
    {
        var results = await Spf().CheckAsync("example.com", [RelayAddress, IPAddress.Parse("198.51.100.7")], default);

        Assert.All(results, r => Assert.Equal(CheckStatus.Pass, r.Status));
        Assert.Contains(results, r => r.Detail == "1 of at most 10 DNS-querying terms");
        Assert.Contains(results, r => r.Detail == "authorises the relay address 198.51.100.7");
    }

    [Fact]
    public async Task An_include_loop_is_counted_without_looping()
    {
        var results = await Spf().CheckAsync("loop.example", [], default);

        Assert.Contains(results, r => r.Detail == "2 of at most 10 DNS-querying terms");
        Assert.Contains(results, r => r.Status == CheckStatus.Warn && r.Detail.StartsWith("no relay addresses given"));
    }

    [Fact]
    public async Task An_address_outside_the_record_fails()
    {
        var results = await Spf().CheckAsync("example.com", [IPAddress.Parse("203.0.113.9")], default);

        Assert.Contains(results, r => r.Status == CheckStatus.Fail && r.Detail.StartsWith("does not authorise the relay address 203.0.113.9"));
    }

    [Theory]
    [InlineData("two.example", "2 SPF records")]
    [InlineData("open.example", "+all authorises every host")]
    [InlineData("many.example", "15 DNS-querying terms")] // 6 + n1 (3 + n2: 3) + n2 (3)
    [InlineData("nothing.example", "publishes no SPF record")]
    public async Task Broken_spf_records_fail_with_the_reason(string domain, string reason)
    {
        var results = await Spf().CheckAsync(domain, [RelayAddress], default);

        Assert.Contains(results, r => r.Status == CheckStatus.Fail && r.Detail.Contains(reason));
    }

    private DmarcPolicyCheck Dmarc() => new(new DmarcRecordLookup(new TxtLookup(_dns.Endpoint)), PublicSuffixList.Shipped.OrganizationalDomain);

    [Fact]
    public async Task A_dmarc_record_at_p_none_passes_with_a_warning_and_subdomains_inherit_it()
    {
        var own = await Dmarc().CheckAsync("example.com", default);
        var inherited = await Dmarc().CheckAsync("a.news.example.com", default);

        Assert.Contains(own, r => r.Status == CheckStatus.Warn && r.Detail.StartsWith("p=none"));
        Assert.DoesNotContain(own, r => r.Status == CheckStatus.Fail);
        Assert.Contains(inherited, r => r.Detail.StartsWith("inherited from _dmarc.example.com"));
        Assert.Contains(inherited, r => r.Detail == "policy quarantine");
    }

    [Theory]
    [InlineData("two.example", "p=block")]
    [InlineData("nothing.example", "no DMARC record")]
    [InlineData("shop.example.co.uk", "no DMARC record")] // a record at a public suffix is never inherited
    public async Task A_missing_or_invalid_dmarc_record_fails(string domain, string reason)
    {
        var results = await Dmarc().CheckAsync(domain, default);

        Assert.Contains(results, r => r.Status == CheckStatus.Fail && r.Detail.Contains(reason));
    }

    [Fact]
    public async Task The_command_checks_the_configured_source_addresses_and_writes_statuses_as_words_in_json()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await RelayCommandLine.Build().Parse(
            ["dns", "check", "--domain", "example.com", "--dns-server", _dns.Endpoint.ToString(), "--keys-path", RepositoryRoot.KeysExample, "--json",
             "--Relay:Delivery:SourceAddresses:0=192.0.2.0/28"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });

        Assert.Equal("", errors.ToString());
        Assert.Equal(0, exit);
        var results = JsonDocument.Parse(output.ToString()).RootElement.EnumerateArray().ToList();
        Assert.All(results, r => Assert.Contains(r.GetProperty("status").GetString(), new[] { "pass", "warn" }));
        Assert.Contains(results, r => r.GetProperty("status").GetString() == "warn" && r.GetProperty("detail").GetString()!.StartsWith("p=none"));
        // A network is checked at both ends: the record's ip4:192.0.2.0/28 covers them.
        Assert.Contains(results, r => r.GetProperty("detail").GetString() == "authorises the relay address 192.0.2.0");
        Assert.Contains(results, r => r.GetProperty("detail").GetString() == "authorises the relay address 192.0.2.15");
    }

    [Theory]
    [InlineData("relay.example.com", "bounces.example.com", 0, "pass", "bounces.example.com MX points at the relay's inbound listener relay.example.com")]
    [InlineData("other.example.com", "bounces.example.com", 1, "fail", "bounces.example.com MX is relay.example.com, not the relay's inbound host other.example.com")]
    [InlineData("relay.example.com", "nothing.example.com", 1, "fail", "nothing.example.com publishes no MX: bounces to it cannot reach the relay")]
    public async Task The_command_checks_the_return_path_domain_s_spf_and_that_its_mx_names_the_relay(
        string serverName, string returnPathDomain, int expectedExit, string mxStatus, string mxDetail)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await RelayCommandLine.Build().Parse(
            ["dns", "check", "--domain", "example.com", "--dns-server", _dns.Endpoint.ToString(), "--keys-path", RepositoryRoot.KeysExample, "--json",
             "--Relay:Delivery:SourceAddresses:0=192.0.2.0/28", $"--Relay:Smtp:ServerName={serverName}",
             $"--Relay:Dkim:Domains:example.com:ReturnPathDomain={returnPathDomain}"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });

        Assert.Equal("", errors.ToString());
        Assert.Equal(expectedExit, exit);
        var results = JsonDocument.Parse(output.ToString()).RootElement.EnumerateArray()
            .Select(r => (Subject: r.GetProperty("subject").GetString()!, Status: r.GetProperty("status").GetString()!, Detail: r.GetProperty("detail").GetString()!))
            .ToList();
        Assert.Contains(("Return-Path MX", mxStatus, mxDetail), results);
        if (returnPathDomain == "bounces.example.com")
        {
            Assert.Contains(("Return-Path SPF", "pass", "authorises the relay address 192.0.2.15"), results);
        }
        else
        {
            Assert.Contains(("Return-Path SPF", "fail", "nothing.example.com publishes no SPF record"), results);
        }
    }
}
