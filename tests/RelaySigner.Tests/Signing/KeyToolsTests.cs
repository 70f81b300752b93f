using System.CommandLine;
using System.Text.RegularExpressions;
using MimeKit.Cryptography;
using RelaySigner.Cli;
using RelaySigner.Signing.Keys;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Signing;

/// <summary>The key tools of <c>relaysigner</c>: <c>keys generate</c>, <c>keys list</c>, <c>dns records</c>.</summary>
public sealed class KeyToolsTests : IDisposable
{
    private readonly TempFolder _keys = new();

    [Fact]
    public void Keys_generate_writes_an_owner_only_key_in_owner_only_folders_that_the_relay_loads_and_prints_its_record_in_short_strings()
    {
        var keysPath = Path.Combine(_keys.Path, "new-keys");
        var (status, output, _) = Run("keys", "generate", "--domain", "Example.COM", "--selector", "s2026", "--keys-path", keysPath);

        Assert.Equal(0, status);
        var pem = KeyFolder.PemPath(keysPath, "example.com", "s2026");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pem));
            var ownerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Assert.Equal(ownerOnlyFolder, File.GetUnixFileMode(keysPath));
            Assert.Equal(ownerOnlyFolder, File.GetUnixFileMode(Path.GetDirectoryName(pem)!));
        }

        var key = KeyFileReader.Read(pem);
        Assert.Equal((DkimSignatureAlgorithm.RsaSha256, 2048), (key.Algorithm, key.Bits));
        var storeLog = new RelaySigner.Tests.Delivery.ListLogger<DkimKeyStore>();
        using (var store = TestKeys.OpenStore(keysPath, logger: storeLog))
        {
            Assert.NotNull(store.Find("example.com"));
            Assert.Empty(storeLog.WithEventId(2150)); // no "readable by others" warning
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
        var before = File.ReadAllText(KeyFolder.PemPath(_keys.Path, "example.com", "ed"));
        var second = Run("keys", "generate", "--domain", "example.com", "--selector", "ed", "--algorithm", "ed25519", "--keys-path", _keys.Path);

        Assert.Equal(0, first.Status);
        Assert.Contains("\"v=DKIM1; k=ed25519; p=", first.Output);
        Assert.Equal(1, second.Status);
        Assert.Contains("already exists", second.Errors);
        Assert.Equal(before, File.ReadAllText(KeyFolder.PemPath(_keys.Path, "example.com", "ed")));
    }

    [Theory]
    [InlineData("--bits", "1024")]
    [InlineData("--selector", "bad selector")]
    public void Keys_generate_refuses_weak_keys_and_bad_selectors(string option, string value)
    {
        string[] args = ["keys", "generate", "--domain", "example.com", "--selector", "s1", "--keys-path", _keys.Path, option, value];

        var (status, _, errors) = Run(args);

        Assert.Equal(1, status);
        Assert.NotEmpty(errors);
        Assert.False(File.Exists(KeyFolder.PemPath(_keys.Path, "example.com", "s1")));
    }

    [Fact]
    public void Keys_list_shows_domain_selector_algorithm_bits_and_dns_name()
    {
        KeyGenerator.Generate(_keys.Path, "example.com", "ed", DkimSignatureAlgorithm.Ed25519Sha256);
        TestKeys.WriteRsa(_keys.Path, "example.net", "rsa", bits: 3072);

        var (status, output, _) = Run("keys", "list", "--keys-path", _keys.Path);

        Assert.Equal(0, status);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => Regex.Split(r.Trim(), @"\s+")).ToList();
        Assert.Equal(["example.com", "ed", "ed25519", "256", "ed._domainkey.example.com"], rows[0]);
        Assert.Equal(["example.net", "rsa", "rsa", "3072", "rsa._domainkey.example.net"], rows[1]);
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

    public void Dispose() => _keys.Dispose();

    private static (int Status, string Output, string Errors) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var status = RelayCommandLine.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = errors });
        return (status, output.ToString(), errors.ToString());
    }
}
