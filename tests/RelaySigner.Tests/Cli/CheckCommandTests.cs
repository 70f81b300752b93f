using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RelaySigner.Signing.Keys;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Cli;

/// <summary><c>relaysigner check</c>: the configuration as a start would judge it, the effective settings, keys and certificate.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string[] Relay(params string[] more) =>
        ["check", "--no-dns", $"--Relay:Dkim:KeysPath={RepositoryRoot.KeysExample}", $"--Relay:Queue:Path={_folder.Path}", .. more];

    [Fact]
    public async Task Check_passes_the_demo_setup_but_warns_that_its_key_is_public()
    {
        var (status, output, _) = await CliRun.RunAsync(Relay());

        Assert.Equal(0, status);
        Assert.Contains("PASS  configuration", output);
        Assert.Matches(@"WARN  key example\.com s=demo2026 +rsa 2048 bits, .*: a public demo key", output);
        Assert.Matches("PASS  listener +smtp 127.0.0.1:2525", output);
        Assert.Matches("PASS  delivery +MX on port 25", output);
        Assert.Matches(@"PASS  certificate +none \(no TLS listener\)", output);
    }

    [Fact]
    public async Task Check_prints_the_effective_settings_with_secrets_masked()
    {
        var (_, output, _) = await CliRun.RunAsync(Relay("--Relay:Delivery:Smarthost=smtp.example.net:587", "--Relay:Delivery:SmarthostPassword=hunter2",
            "--Relay:Smtp:Users:0:Name=app", "--Relay:Smtp:Users:0:PasswordHash=pbkdf2-secret-hash"));

        Assert.Contains("  Relay:Delivery:Smarthost = smtp.example.net:587", output);
        Assert.Contains("  Relay:Delivery:SmarthostPassword = ********", output);
        Assert.Contains("  Relay:Smtp:Users:0:PasswordHash = ********", output);
        Assert.Contains("  Relay:Smtp:Users:0:Name = app", output);
        Assert.DoesNotContain("hunter2", output);
        Assert.DoesNotContain("pbkdf2-secret-hash", output);
    }

    [Fact]
    public async Task Check_masks_the_events_secret_and_the_webhook_url_which_often_carries_a_token()
    {
        var (status, output, _) = await CliRun.RunAsync(Relay("--Relay:Events:WebhookUrl=https://hooks.example/T0KEN-in-path",
            "--Relay:Events:Secret=0123456789abcdef0123456789abcdef"));

        Assert.Equal(0, status);
        Assert.Contains("  Relay:Events:WebhookUrl = ********", output);
        Assert.Contains("  Relay:Events:Secret = ********", output);
        Assert.DoesNotContain("T0KEN", output);
        Assert.DoesNotContain("0123456789abcdef", output);
    }

    [Fact]
    public async Task Check_fails_on_an_unknown_key_and_an_invalid_value_together()
    {
        var (status, output, _) = await CliRun.RunAsync(Relay("--Relay:Smtp:Prot=25", "--Relay:Delivery:MaxAge=-1"));

        Assert.Equal(1, status);
        Assert.Contains("FAIL  configuration  Relay:Smtp:Prot is not a setting; did you mean Relay:Smtp:Port?", output);
        Assert.Contains("FAIL  configuration  Relay:Delivery:MaxAge must be positive.", output);
    }

    [Theory]
    [InlineData(5, "WARN", "renew it")]
    [InlineData(-1, "FAIL", "expired")]
    [InlineData(90, "PASS", "(89 days)")]
    public async Task Check_reports_how_long_the_certificate_has_left(int days, string status, string detail)
    {
        var (certificate, key) = WriteCertificate(TimeSpan.FromDays(days));

        var (exit, output, _) = await CliRun.RunAsync(Relay($"--Relay:Smtp:Tls:CertificatePath={certificate}", $"--Relay:Smtp:Tls:KeyPath={key}"));

        Assert.Matches($@"{status}  certificate +relay\.example\.test until \d{{4}}-\d\d-\d\d .*{System.Text.RegularExpressions.Regex.Escape(detail)}", output);
        Assert.Equal(status == "FAIL" ? 1 : 0, exit);
    }

    [Fact]
    public async Task Check_warns_about_a_key_others_can_read_and_a_pending_key()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no Unix file modes
        }

        var keys = Path.Combine(_folder.Path, "keys");
        var key = KeyGenerator.Generate(keys, "example.net", "s1", MimeKit.Cryptography.DkimSignatureAlgorithm.Ed25519Sha256);
        File.SetUnixFileMode(key.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        KeyGenerator.Generate(keys, "example.net", "s2", MimeKit.Cryptography.DkimSignatureAlgorithm.Ed25519Sha256, pending: true);

        var (_, output, _) = await CliRun.RunAsync(["check", "--no-dns", $"--Relay:Dkim:KeysPath={keys}", $"--Relay:Queue:Path={_folder.Path}"]);

        Assert.Contains($"readable by others than its owner; chmod 600 {key.Path}", output);
        Assert.Contains("WARN  key example.net s=s2", output);
        Assert.Contains("relaysigner keys activate --domain example.net --selector s2", output);
    }

    public void Dispose() => _folder.Dispose();

    private (string Certificate, string Key) WriteCertificate(TimeSpan left)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=relay.example.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("relay.example.test");
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-30), now + left);
        var (certificatePath, keyPath) = (Path.Combine(_folder.Path, "cert.pem"), Path.Combine(_folder.Path, "key.pem"));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
