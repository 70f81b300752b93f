using System.CommandLine;
using System.Text.Json;
using RelaySigner.Cli;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests;

/// <summary>
/// <c>relaysigner compliance check</c> against a real DNS server (unbound on loopback) serving zones written for each
/// test, reverse zones included: a compliant domain passes every rule it can judge, and a broken one names each rule it
/// breaks; DNS failures and bad command lines are exit code 2.
/// </summary>
public sealed class ComplianceCheckTests
{
    private const string RelayIp = "192.0.2.10";

    [Fact]
    public async Task A_compliant_domain_passes_every_rule_and_warns_only_where_this_relay_has_nothing_to_judge()
    {
        await using var dns = await UnboundServer.StartAsync(
        [
            "example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.10 -all\"",
            "bounces.example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.0/28 -all\"",
            $"demo2026._domainkey.example.com. 300 IN TXT {DemoKeyRecord.ZoneData}",
            "_dmarc.example.com. 300 IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc@example.com\"",
            "10.2.0.192.in-addr.arpa. 300 IN PTR mail.example.com.",
            "mail.example.com. 300 IN A 192.0.2.10",
        ]);

        var (exit, verdicts, errors) = await CheckAsync(dns, "--return-path-domain", "bounces.example.com", "--relay-ip", RelayIp,
            "--Relay:Delivery:HeloName=mail.example.com");

        Assert.Equal("", errors);
        Assert.Equal(0, exit);
        Assert.Equal(
            [
                ("SPF", "pass"), ("SPF alignment", "pass"), ("DKIM", "pass"), ("DMARC", "pass"), ("Reverse DNS", "pass"), ("TLS", "pass"),
                ("Unsubscribe", "warn"), ("Complaint rate", "warn"), ("Hard-bounce rate", "warn"),
            ],
            verdicts.Select(v => (v.Rule, v.Status)));
        Assert.Equal("example.com and bounces.example.com authorise 192.0.2.10", Detail(verdicts, "SPF"));
        Assert.Equal("_dmarc.example.com: p=none, aligned through DKIM and SPF", Detail(verdicts, "DMARC"));
        Assert.Equal("192.0.2.10 ↔ mail.example.com, the relay's EHLO name", Detail(verdicts, "Reverse DNS"));
        Assert.StartsWith("no mail of this domain", Detail(verdicts, "Complaint rate"));
    }

    [Fact]
    public async Task A_broken_domain_fails_and_names_each_rule_it_breaks()
    {
        await using var dns = await UnboundServer.StartAsync(
        [
            "example.com. 300 IN TXT \"v=spf1 ip4:198.51.100.1 -all\"",
            "other.example. 300 IN TXT \"v=spf1 ip4:192.0.2.10 ip4:192.0.2.11 -all\"",
            "demo2026._domainkey.example.com. 300 IN TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"",
            // No DMARC record. One address's PTR does not resolve back; the other's does, but is not the EHLO name.
            "10.2.0.192.in-addr.arpa. 300 IN PTR host-10.isp.example.",
            "11.2.0.192.in-addr.arpa. 300 IN PTR relay2.example.com.",
            "relay2.example.com. 300 IN A 192.0.2.11",
        ]);

        var (exit, verdicts, errors) = await CheckAsync(dns, "--return-path-domain", "other.example", "--relay-ip", RelayIp, "192.0.2.11",
            "--Relay:Delivery:HeloName=mail.example.com", "--Relay:Delivery:Smarthost=smarthost.example:587");

        Assert.Equal("", errors);
        Assert.Equal(1, exit);
        Assert.Equal("fail", Status(verdicts, "SPF"));
        Assert.Equal("example.com does not authorise 192.0.2.10 (check_host: Fail); example.com does not authorise 192.0.2.11 (check_host: Fail)",
            Detail(verdicts, "SPF"));
        Assert.Equal("warn", Status(verdicts, "SPF alignment"));
        Assert.Equal("fail", Status(verdicts, "DKIM"));
        Assert.Contains("not the public half", Detail(verdicts, "DKIM"));
        Assert.Equal("fail", Status(verdicts, "DMARC"));
        Assert.StartsWith("no DMARC record at _dmarc.example.com", Detail(verdicts, "DMARC"));
        Assert.Equal("fail", Status(verdicts, "Reverse DNS"));
        Assert.Equal(
            "192.0.2.10 has PTR host-10.isp.example, which does not resolve back to 192.0.2.10; " +
            "192.0.2.11 ↔ relay2.example.com, but the relay says EHLO mail.example.com (Relay:Delivery:HeloName)",
            Detail(verdicts, "Reverse DNS"));
        Assert.Equal("warn", Status(verdicts, "TLS"));
        Assert.Contains("smarthost.example:587", Detail(verdicts, "TLS"));
    }

    [Fact]
    public async Task A_record_aligned_only_strictly_fails_dmarc_when_the_key_is_the_parents()
    {
        // The relay signs news.example.com's mail with example.com's key; adkim=s and aspf=s want the From domain itself.
        await using var dns = await UnboundServer.StartAsync(
        [
            "news.example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.10 -all\"",
            "bounces.example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.10 -all\"",
            $"demo2026._domainkey.example.com. 300 IN TXT {DemoKeyRecord.ZoneData}",
            "_dmarc.news.example.com. 300 IN TXT \"v=DMARC1; p=reject; adkim=s; aspf=s\"",
        ]);

        var (exit, verdicts, _) = await CheckAsync(dns, "--domain", "news.example.com", "--return-path-domain", "bounces.example.com",
            "--relay-ip", RelayIp);

        Assert.Equal(1, exit);
        Assert.Equal("pass", Status(verdicts, "DKIM"));
        Assert.Equal("fail", Status(verdicts, "DMARC"));
        Assert.Contains("adkim=s", Detail(verdicts, "DMARC"));
    }

    [Fact]
    public async Task A_dns_failure_is_exit_code_2_with_the_lookup_named()
    {
        await using var dns = await UnboundServer.StartAsync([], servfailZones: ["servfail.test"]);

        var (exit, _, errors) = await CheckAsync(dns, "--domain", "servfail.test", "--relay-ip", RelayIp);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: DNS lookup of _dmarc.servfail.test TXT failed", errors);
    }

    [Theory]
    [InlineData("--relay-ip", "not-an-address", "error: --relay-ip 'not-an-address' is neither an IP address nor a CIDR network")]
    [InlineData("--dns-server", "nowhere:x", "error:")]
    public async Task A_bad_command_line_is_exit_code_2(string option, string value, string error)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await RelayCommandLine.Build().Parse(["compliance", "check", "--domain", "example.com", option, value])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });

        Assert.Equal(2, exit);
        Assert.StartsWith(error, errors.ToString());
    }

    [Fact]
    public async Task Without_a_domain_the_check_is_exit_code_2()
    {
        using var errors = new StringWriter();
        var exit = await RelayCommandLine.Build().Parse(["compliance", "check"])
            .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = errors });

        Assert.Equal(2, exit);
        Assert.Equal("error: --domain is required", errors.ToString().Trim());
    }

    private static async Task<(int Exit, List<(string Rule, string Status, string Detail)> Verdicts, string Errors)> CheckAsync(
        UnboundServer dns, params string[] arguments)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        string[] domain = arguments.Contains("--domain") ? [] : ["--domain", "example.com"];
        var exit = await RelayCommandLine.Build().Parse(
            ["compliance", "check", .. domain, "--dns-server", dns.Endpoint.ToString(), "--keys-path", RepositoryRoot.KeysExample, "--json", .. arguments])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });
        var verdicts = exit is 0 or 1
            ? JsonDocument.Parse(output.ToString()).RootElement.EnumerateArray()
                .Select(r => (r.GetProperty("subject").GetString()!, r.GetProperty("status").GetString()!, r.GetProperty("detail").GetString()!))
                .ToList()
            : [];
        return (exit, verdicts, errors.ToString());
    }

    private static string Status(List<(string Rule, string Status, string Detail)> verdicts, string rule) =>
        Assert.Single(verdicts, v => v.Rule == rule).Status;

    private static string Detail(List<(string Rule, string Status, string Detail)> verdicts, string rule) =>
        Assert.Single(verdicts, v => v.Rule == rule).Detail;
}
