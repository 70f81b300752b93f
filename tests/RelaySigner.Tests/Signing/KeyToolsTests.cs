using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit.Cryptography;
using RelaySigner.Core.Telemetry;
using RelaySigner.Signing;
using RelaySigner.Signing.Keys;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Signing;

/// <summary>The key tools of <c>relaysigner</c>: <c>keys generate</c>, <c>keys list</c>, <c>dns records</c>.</summary>
public sealed class KeyToolsTests : IDisposable
{
    private readonly TempFolder _keys = new();

    [Fact]
    public void Keys_generate_writes_an_owner_only_pending_key_in_owner_only_folders_and_prints_its_record_in_short_strings()
    {
        var keysPath = Path.Combine(_keys.Path, "new-keys");
        var (status, output, _) = Run("keys", "generate", "--domain", "Example.COM", "--selector", "s2026", "--keys-path", keysPath);

        Assert.Equal(0, status);
        var pem = KeyFolder.PendingPemPath(keysPath, "example.com", "s2026");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pem));
            var ownerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Assert.Equal(ownerOnlyFolder, File.GetUnixFileMode(keysPath));
            Assert.Equal(ownerOnlyFolder, File.GetUnixFileMode(Path.GetDirectoryName(pem)!));
        }

        var key = KeyFileReader.Read(pem);
        Assert.Equal((DkimSignatureAlgorithm.RsaSha256, 2048), (key.Algorithm, key.Bits));
        // Once activated (renamed to .pem), the relay loads it without a "readable by others" warning.
        File.Move(pem, KeyFolder.PemPath(keysPath, "example.com", "s2026"));
        var storeLog = new RelaySigner.Tests.Delivery.AwaitableLogger<DkimKeyStore>();
        using (var store = TestKeys.OpenStore(keysPath, logger: storeLog))
        {
            Assert.NotNull(store.Find("example.com"));
            Assert.DoesNotContain(storeLog.Entries, e => e.EventId == EventIds.Signing.KeyReadableByOthers); // no "readable by others" warning
        }

        var record = Assert.Single(output.Split('\n'), line => line.StartsWith("s2026._domainkey.example.com. ", StringComparison.Ordinal));
        var strings = Regex.Matches(record, "\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.True(strings.Count > 1);
        Assert.All(strings, s => Assert.InRange(s.Length, 1, 255));
        Assert.Equal(DkimDnsRecord.Value(key.Key), string.Concat(strings));
    }

    [Fact]
    public void Keys_generate_makes_ed25519_keys_and_never_overwrites_one()
    {
        var first = Run("keys", "generate", "--domain", "example.com", "--selector", "ed", "--algorithm", "ed25519", "--keys-path", _keys.Path);
        var before = File.ReadAllText(KeyFolder.PendingPemPath(_keys.Path, "example.com", "ed"));
        var second = Run("keys", "generate", "--domain", "example.com", "--selector", "ed", "--algorithm", "ed25519", "--keys-path", _keys.Path);

        Assert.Equal(0, first.Status);
        Assert.Contains("\"v=DKIM1; k=ed25519; p=", first.Output);
        Assert.Equal(1, second.Status);
        Assert.Contains("already exists", second.Errors);
        Assert.Equal(before, File.ReadAllText(KeyFolder.PendingPemPath(_keys.Path, "example.com", "ed")));
    }

    [Theory]
    [InlineData("--bits", "1024")]
    [InlineData("--selector", "bad selector")]
    [InlineData("--domain", "not a domain")]
    [InlineData("--domain", "localhost")]
    public void Keys_generate_refuses_weak_keys_bad_selectors_and_what_is_not_a_domain(string option, string value)
    {
        var given = new Dictionary<string, string> { ["--domain"] = "example.com", ["--selector"] = "s1", ["--keys-path"] = _keys.Path, [option] = value };
        string[] args = ["keys", "generate", .. given.SelectMany(o => new[] { o.Key, o.Value })];

        var (status, _, errors) = Run(args);

        Assert.Equal(2, status);
        Assert.StartsWith("keys generate: ", errors);
        Assert.Empty(Directory.EnumerateFiles(_keys.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Keys_generate_never_writes_into_the_public_demo_folder_it_finds_in_the_configuration()
    {
        var demo = Directory.CreateDirectory(Path.Combine(_keys.Path, "keys.example")).FullName;

        var (status, output, errors) = Run("keys", "generate", "--domain", "example.net", "--selector", "s1", $"--Relay:Dkim:KeysPath={demo}");

        Assert.Equal(2, status);
        Assert.Empty(output);
        Assert.Contains("public demo key folder; give --keys-path", errors);
        Assert.Empty(Directory.EnumerateFileSystemEntries(demo));
    }

    [Fact]
    public void Keys_generate_writes_into_the_configured_key_folder_when_it_is_not_the_demo_one()
    {
        var (status, _, _) = Run("keys", "generate", "--domain", "example.net", "--selector", "s1", $"--Relay:Dkim:KeysPath={_keys.Path}");

        Assert.Equal(0, status);
        Assert.True(File.Exists(KeyFolder.PendingPemPath(_keys.Path, "example.net", "s1")));
    }

    [Fact]
    public void A_generated_key_is_not_signed_with_until_it_is_activated()
    {
        Run("keys", "generate", "--domain", "example.net", "--selector", "s1", "--keys-path", _keys.Path);
        using (var store = KeyStore())
        {
            Assert.Empty(store.SigningKeys);
        }

        var (status, output, _) = Run("keys", "activate", "--domain", "example.net", "--selector", "s1", "--force", "--keys-path", _keys.Path);

        Assert.Equal(0, status);
        Assert.Contains("s1._domainkey.example.net: active", output);
        using var activated = KeyStore();
        Assert.Equal(("example.net", "s1"), Assert.Single(activated.SigningKeys.Select(k => (k.Domain, k.Selector))));
    }

    [Fact]
    public void Keys_activate_leaves_the_key_pending_while_dns_does_not_publish_it()
    {
        Run("keys", "generate", "--domain", "example.net", "--selector", "s1", "--keys-path", _keys.Path);
        // Nothing listens there: the lookup fails, so publication is not shown.
        using var closed = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)closed.Client.LocalEndPoint!).Port;

        var (status, _, errors) = Run("keys", "activate", "--domain", "example.net", "--selector", "s1", "--keys-path", _keys.Path, "--dns-server", $"127.0.0.1:{port}");

        Assert.Equal(1, status);
        Assert.StartsWith("keys activate: not activated", errors);
        Assert.True(File.Exists(KeyFolder.PendingPemPath(_keys.Path, "example.net", "s1")));
    }

    [Fact]
    public void Keys_list_shows_domain_selector_algorithm_bits_and_dns_name()
    {
        KeyGenerator.Generate(_keys.Path, "example.com", "ed", DkimSignatureAlgorithm.Ed25519Sha256);
        TestKeys.WriteRsa(_keys.Path, "example.net", "rsa", bits: 3072);

        var (status, output, _) = Run("keys", "list", "--keys-path", _keys.Path);

        Assert.Equal(0, status);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => Regex.Split(r.Trim(), @"\s+")).ToList();
        Assert.Equal(["example.com", "ed", "ed25519", "256", "active", "ed._domainkey.example.com"], rows[0]);
        Assert.Equal(["example.net", "rsa", "rsa", "3072", "active", "rsa._domainkey.example.net"], rows[1]);
    }

    [Fact]
    public void Keys_list_marks_pending_keys_and_the_public_demo_key()
    {
        KeyGenerator.Generate(_keys.Path, "example.net", "new", DkimSignatureAlgorithm.Ed25519Sha256, pending: true);
        Directory.CreateDirectory(Path.Combine(_keys.Path, "example.com"));
        File.Copy(Path.Combine(RepositoryRoot.KeysExample, "example.com", "demo2026.pem"), KeyFolder.PemPath(_keys.Path, "example.com", "copied"));

        var (_, output, _) = Run("keys", "list", "--keys-path", _keys.Path);

        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => Regex.Split(r.Trim(), @"\s+")[4]).ToList();
        Assert.Equal(["demo", "pending"], rows);
    }

    [Fact]
    public void Dns_records_prints_each_selectors_dkim_record_an_spf_suggestion_and_a_p_none_dmarc_record_with_rua()
    {
        var rsa = KeyGenerator.Generate(_keys.Path, "example.com", "rsa", DkimSignatureAlgorithm.RsaSha256);
        var ed = KeyGenerator.Generate(_keys.Path, "example.com", "ed", DkimSignatureAlgorithm.Ed25519Sha256);
        KeyGenerator.Generate(_keys.Path, "example.net", "other", DkimSignatureAlgorithm.Ed25519Sha256);

        var (status, output, _) = Run("dns", "records", "--domain", "example.com", "--keys-path", _keys.Path);

        Assert.Equal(0, status);
        Assert.Contains(rsa.ZoneLine, output);
        Assert.Contains(ed.ZoneLine, output);
        Assert.DoesNotContain("example.net", output);
        Assert.Contains("example.com. 3600 IN TXT \"v=spf1 ", output);
        Assert.Contains("_dmarc.example.com. 3600 IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com", output);
    }

    [Fact]
    public void Dns_records_adds_the_spf_and_mx_of_a_configured_return_path_domain()
    {
        var (status, output, _) = Run("dns", "records", "--domain", "news.example.com", "--keys-path", _keys.Path,
            "--Relay:Dkim:Domains:example.com:ReturnPathDomain=bounces.example.com", "--Relay:Smtp:ServerName=relay.example.com",
            "--Relay:Delivery:SourceAddresses:0=192.0.2.0/28", "--Relay:Delivery:SourceAddresses:1=2001:db8::/64");
        var (_, without, _) = Run("dns", "records", "--domain", "example.org", "--keys-path", _keys.Path,
            "--Relay:Dkim:Domains:example.com:ReturnPathDomain=bounces.example.com");

        Assert.Equal(0, status);
        Assert.Contains("bounces.example.com. 3600 IN TXT \"v=spf1 ip4:192.0.2.0/28 ip6:2001:db8::/64 -all\"", output);
        Assert.Contains("bounces.example.com. 3600 IN MX 10 relay.example.com.", output);
        Assert.DoesNotContain("bounces.example.com", without);
    }

    public void Dispose() => _keys.Dispose();

    private DkimKeyStore KeyStore() => new(
        Options.Create(new DkimOptions { KeysPath = _keys.Path }),
        new HostingEnvironment { ContentRootPath = _keys.Path }, TimeProvider.System, NullLogger<DkimKeyStore>.Instance);

    private static (int Status, string Output, string Errors) Run(params string[] args) =>
        Tests.Cli.CliRun.RunAsync(args).GetAwaiter().GetResult();
}
