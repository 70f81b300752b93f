using System.Globalization;
using MimeKit.Cryptography;
using RelaySigner.IntegrationTests.Fixtures;
using RelaySigner.Signing.Keys;
using RelaySigner.Testing;

namespace RelaySigner.IntegrationTests.Cli;

/// <summary>
/// The verbs that look keys up in DNS agree with the signer: <c>dns check</c> checks the key the relay signs a
/// subdomain's mail with (its organisational domain's), and <c>keys activate</c> only activates a published key.
/// </summary>
public sealed class SigningDomainDnsTests : IAsyncLifetime
{
    private readonly TempFolder _keys = new();
    private GeneratedKey _published = null!;
    private UnboundServer _dns = null!;

    public async Task InitializeAsync()
    {
        _published = KeyGenerator.Generate(_keys.Path, "example.net", "s1", DkimSignatureAlgorithm.Ed25519Sha256, pending: true);
        _dns = await UnboundServer.StartAsync(
        [
            $"demo2026._domainkey.example.com. 300 IN TXT {DemoKeyRecord.ZoneData}",
            "example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.10 -all\"",
            "sub.example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.10 -all\"",
            "_dmarc.example.com. 300 IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"",
            $"s1._domainkey.example.net. 300 IN TXT \"{_published.RecordValue}\"",
        ]);
    }

    [Fact]
    public async Task Dns_check_of_a_subdomain_checks_the_organisational_domains_key_the_signer_uses()
    {
        var (status, output, errors) = await Run("dns", "check", "--domain", "sub.example.com", "--keys-path", RepositoryRoot.KeysExample, "--relay-ip", "192.0.2.10");

        Assert.True(status == 0, output + errors);
        Assert.Contains("sub.example.com is signed with d=example.com, its nearest parent with a key", output);
        Assert.Contains("demo2026._domainkey.example.com", output);
        Assert.DoesNotContain("has no key", output);
    }

    [Fact]
    public async Task Keys_activate_makes_a_published_pending_key_a_signing_key()
    {
        var (status, output, errors) = await Run("keys", "activate", "--domain", "example.net", "--selector", "s1", "--keys-path", _keys.Path);

        Assert.True(status == 0, errors);
        Assert.Contains("s1._domainkey.example.net: active", output);
        Assert.True(File.Exists(KeyFolder.PemPath(_keys.Path, "example.net", "s1")));
        Assert.False(File.Exists(KeyFolder.PendingPemPath(_keys.Path, "example.net", "s1")));
    }

    [Fact]
    public async Task Keys_activate_refuses_a_key_whose_record_is_not_published()
    {
        KeyGenerator.Generate(_keys.Path, "example.net", "s2", DkimSignatureAlgorithm.Ed25519Sha256, pending: true);

        var (status, _, errors) = await Run("keys", "activate", "--domain", "example.net", "--selector", "s2", "--keys-path", _keys.Path);

        Assert.Equal(1, status);
        Assert.Contains("not activated, no key record at s2._domainkey.example.net", errors);
        Assert.True(File.Exists(KeyFolder.PendingPemPath(_keys.Path, "example.net", "s2")));
    }

    [Fact]
    public async Task Check_says_which_keys_dns_publishes()
    {
        File.Move(_published.Path, KeyFolder.PemPath(_keys.Path, "example.net", "s1"));
        KeyGenerator.Generate(_keys.Path, "example.net", "unpublished", DkimSignatureAlgorithm.Ed25519Sha256);

        var (status, output, _) = await Run("check", $"--Relay:Dkim:KeysPath={_keys.Path}", $"--Relay:Queue:Path={Path.Combine(_keys.Path, "queue")}");

        Assert.Equal(1, status);
        Assert.Matches(@"PASS  key example\.net s=s1 +ed25519 256 bits, .*: readable, published", output);
        Assert.Matches(@"FAIL  key example\.net s=unpublished +ed25519 256 bits, .*: no key record at unpublished\._domainkey\.example\.net", output);
    }

    public async Task DisposeAsync()
    {
        await _dns.DisposeAsync();
        _keys.Dispose();
    }

    private Task<(int Status, string Output, string Errors)> Run(params string[] args) =>
        CliProcess.RunAsync(_keys.Path, new Dictionary<string, string?>(),
            [.. args, "--dns-server", string.Create(CultureInfo.InvariantCulture, $"{_dns.Endpoint.Address}:{_dns.Endpoint.Port}")]);
}
