using MimeKit.Cryptography;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Signing;

public sealed class DkimKeyStoreTests
{
    [Fact]
    public void Loads_pkcs1_pkcs8_and_ed25519_keys_by_domain_and_selector()
    {
        using var folder = new TempFolder();
        TestKeys.WriteRsa(folder.Path, "example.com", "rsa1");
        TestKeys.WriteRsa(folder.Path, "example.com", "rsa8", pkcs8: true);
        TestKeys.WriteEd25519(folder.Path, "Example.ORG", "ed");

        var store = TestKeys.OpenStore(folder.Path);

        Assert.Equal(["rsa1", "rsa8"], store.KeysFor("example.com").Select(k => k.Selector));
        Assert.All(store.KeysFor("example.com"), k => Assert.Equal(DkimSignatureAlgorithm.RsaSha256, k.Algorithm));
        var ed = Assert.Single(store.KeysFor("EXAMPLE.org"));
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
}
