using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit.Cryptography;
using RelaySigner.Core.Telemetry;
using RelaySigner.Signing;
using RelaySigner.Signing.Keys;
using RelaySigner.Testing;
using RelaySigner.Tests.Delivery;

namespace RelaySigner.Tests.Signing;

public sealed class DkimKeyStoreTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public void Loads_pkcs1_pkcs8_and_ed25519_keys_by_domain_and_selector()
    {
        using var folder = new TempFolder();
        TestKeys.WriteRsa(folder.Path, "example.com", "rsa1");
        TestKeys.WriteRsa(folder.Path, "example.com", "rsa8", pkcs8: true);
        TestKeys.WriteEd25519(folder.Path, "Example.ORG", "ed");

        using var store = TestKeys.OpenStore(folder.Path);

        Assert.Equal(["rsa1", "rsa8"], store.Find("example.com")!.Keys.Select(k => k.Selector));
        Assert.All(store.Find("example.com")!.Keys, k => Assert.Equal((DkimSignatureAlgorithm.RsaSha256, 2048), (k.Algorithm, k.Bits)));
        var ed = Assert.Single(store.Find("EXAMPLE.org")!.Keys);
        Assert.Equal(DkimSignatureAlgorithm.Ed25519Sha256, ed.Algorithm);
        Assert.Equal("example.org", ed.Domain);
    }

    [Fact]
    public void A_short_rsa_key_stops_the_start_naming_the_file()
    {
        using var folder = new TempFolder();
        TestKeys.WriteRsa(folder.Path, "example.com", "weak", bits: 1024);

        var error = Assert.Throws<InvalidOperationException>(() => TestKeys.OpenStore(folder.Path));

        Assert.Contains(Path.Combine(folder.Path, "example.com", "weak.pem"), error.Message);
        Assert.Contains("1024 bits", error.Message);
    }

    [Fact]
    public void A_broken_key_file_is_reported_by_path_never_by_content()
    {
        using var folder = new TempFolder();
        const string secretLooking = "-----BEGIN RSA PRIVATE KEY-----\nTOPSECRETmaterial\n-----END RSA PRIVATE KEY-----\n";
        TestKeys.Write(folder.Path, "example.com", "broken", secretLooking);

        var error = Assert.Throws<InvalidOperationException>(() => TestKeys.OpenStore(folder.Path));

        Assert.Contains(Path.Combine(folder.Path, "example.com", "broken.pem"), error.Message);
        Assert.DoesNotContain("TOPSECRET", error.Message);
    }

    [Fact]
    public void A_missing_key_folder_stops_the_start()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TestKeys.OpenStore("/nonexistent/relaysigner-keys"));
        Assert.Contains("/nonexistent/relaysigner-keys", error.Message);
    }

    [Fact]
    public void A_configured_selector_without_a_key_file_stops_the_start()
    {
        using var folder = new TempFolder();
        TestKeys.WriteEd25519(folder.Path, "example.com", "ed");
        var options = new DkimOptions { Domains = { ["example.com"] = new DkimDomainOptions { Selectors = ["ed", "rsa2026"] } } };

        var error = Assert.Throws<InvalidOperationException>(() => TestKeys.OpenStore(folder.Path, options));

        Assert.Contains("rsa2026", error.Message);
    }

    [Fact]
    public async Task A_key_added_while_running_signs_without_a_restart()
    {
        using var folder = new TempFolder();
        TestKeys.WriteEd25519(folder.Path, "example.com", "ed");
        using var store = TestKeys.OpenStore(folder.Path);

        var reloaded = UntilAsync(store, () => store.Find("example.net") is not null);
        TestKeys.WriteEd25519(folder.Path, "example.net", "new");
        await reloaded;

        Assert.Equal("new", Assert.Single(store.Find("example.net")!.Keys).Selector);
    }

    [Fact]
    public async Task A_removed_key_stops_signing_without_a_restart()
    {
        using var folder = new TempFolder();
        TestKeys.WriteEd25519(folder.Path, "example.com", "old");
        TestKeys.WriteEd25519(folder.Path, "example.com", "new");
        using var store = TestKeys.OpenStore(folder.Path);

        var reloaded = UntilAsync(store, () => store.Find("example.com")!.Keys.Count == 1);
        File.Delete(KeyFolder.PemPath(folder.Path, "example.com", "old"));
        await reloaded;

        Assert.Equal("new", Assert.Single(store.Find("example.com")!.Keys).Selector);
    }

    [Fact]
    public async Task A_key_file_broken_while_running_is_logged_by_path_and_its_last_good_key_keeps_signing()
    {
        using var folder = new TempFolder();
        TestKeys.WriteEd25519(folder.Path, "example.com", "ed");
        var logger = new AwaitableLogger<DkimKeyStore>();
        using var store = TestKeys.OpenStore(folder.Path, logger: logger);

        var reported = UntilAsync(store, () => logger.Entries.Any(e => e.EventId == EventIds.Signing.KeyReloadFailed));
        TestKeys.Write(folder.Path, "example.com", "ed", "-----BEGIN PRIVATE KEY-----\nTOPSECRETmaterial\n-----END PRIVATE KEY-----\n");
        await reported;

        var error = logger.Entries.First(e => e.EventId == EventIds.Signing.KeyReloadFailed);
        Assert.Contains(KeyFolder.PemPath(folder.Path, "example.com", "ed"), (string)error["Error"]!);
        Assert.DoesNotContain(logger.Lines, m => m.Contains("TOPSECRET", StringComparison.Ordinal));
        Assert.Equal(["dkim=pass d=example.com s=ed a=ed25519-sha256"], SignAndVerify(store.Find("example.com")!.Keys.Single(), folder.Path));
    }

    [Fact]
    public void Invalid_domain_settings_are_all_reported_at_start()
    {
        var options = new DkimOptions
        {
            Domains =
            {
                ["example.com"] = new DkimDomainOptions { Canonicalization = "loose", ExtraHeaders = ["Received", "Bad Name"], SignatureLifetime = TimeSpan.Zero },
            },
        };

        var result = new DkimOptionsValidator().Validate(Options.DefaultName, options);

        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("Canonicalization", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Received", StringComparison.Ordinal));
    }

    /// <summary>Signs a small message with the key and verifies it against the key's published record.</summary>
    private static IReadOnlyList<string> SignAndVerify(DkimKey key, string keysPath)
    {
        var message = "From: a@example.com\r\nSubject: s\r\n\r\nbody\r\n"u8.ToArray();
        var signature = key.Signer.Sign(RelaySigner.Signing.Dkim.RawMessage.Split(message), ["from", "subject"]);
        using var written = new MemoryStream();
        written.Write(signature);
        written.Write(message);
        return new RelaySigner.Tools.DkimCheck(new RelaySigner.Tools.KeyFolderPublicKeyLocator(keysPath)).Verify(written.ToArray());
    }

    /// <summary>Completes once a reload of the store has made <paramref name="condition"/> true.</summary>
    private static Task UntilAsync(DkimKeyStore store, Func<bool> condition)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReloaded(object? sender, EventArgs e)
        {
            if (condition())
            {
                store.Reloaded -= OnReloaded;
                done.TrySetResult();
            }
        }

        store.Reloaded += OnReloaded;
        return done.Task.WaitAsync(Patience);
    }
}
