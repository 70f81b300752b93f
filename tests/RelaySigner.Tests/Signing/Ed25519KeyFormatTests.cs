using System.Diagnostics;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using RelaySigner.Signing.Keys;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Signing;

/// <summary>
/// Ed25519 key files: <c>keys generate</c> writes what <c>openssl genpkey -algorithm ed25519</c> writes (PKCS#8 v1,
/// RFC 8410 §7), and a file with the public key attached (OneAsymmetricKey v2, RFC 5958) still loads.
/// </summary>
public sealed class Ed25519KeyFormatTests : IDisposable
{
    private readonly TempFolder _keys = new();

    [Fact]
    public void A_generated_ed25519_key_is_read_by_openssl_which_derives_the_published_public_key()
    {
        var generated = KeyGenerator.Generate(_keys.Path, "example.com", "ed", DkimSignatureAlgorithm.Ed25519Sha256);

        var (status, publicKeyDer, errors) = OpenSsl("pkey", "-in", generated.Path, "-pubout", "-outform", "DER");

        Assert.True(status == 0, errors);
        // SubjectPublicKeyInfo of Ed25519: a 12-byte header, then the raw 32-byte key that p= publishes (RFC 8463 §4).
        Assert.EndsWith("p=" + Convert.ToBase64String(publicKeyDer[^32..]), generated.RecordValue);
    }

    [Fact]
    public void A_pkcs8_v2_ed25519_key_with_its_public_key_attached_still_loads()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var info = PrivateKeyInfoFactory.CreatePrivateKeyInfo(pair.Private);
        Assert.NotNull(info.PublicKey); // the v2 form, with the public key
        var path = Path.Combine(_keys.Path, "v2.pem");
        File.WriteAllText(path, "-----BEGIN PRIVATE KEY-----\n" + Convert.ToBase64String(info.GetEncoded(), Base64FormattingOptions.InsertLineBreaks) + "\n-----END PRIVATE KEY-----\n");

        var key = KeyFileReader.Read(path);

        Assert.Equal(DkimSignatureAlgorithm.Ed25519Sha256, key.Algorithm);
        Assert.Equal(((Ed25519PublicKeyParameters)pair.Public).GetEncoded(), ((Ed25519PublicKeyParameters)PublicKeys.Of(key.Key)).GetEncoded());
    }

    public void Dispose() => _keys.Dispose();

    private static (int Status, byte[] Output, string Errors) OpenSsl(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        return (process.ExitCode, output.ToArray(), errors.Result);
    }
}
