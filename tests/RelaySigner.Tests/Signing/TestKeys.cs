using System.Security.Cryptography;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using RelaySigner.Signing;
using RelaySigner.Signing.Keys;

namespace RelaySigner.Tests.Signing;

/// <summary>Writes throwaway keys into a key folder and opens a key store on it.</summary>
internal static class TestKeys
{
    public static void WriteRsa(string keysPath, string domain, string selector, int bits = 2048, bool pkcs8 = false)
    {
        using var rsa = RSA.Create(bits);
        Write(keysPath, domain, selector, pkcs8 ? rsa.ExportPkcs8PrivateKeyPem() : rsa.ExportRSAPrivateKeyPem());
        if (bits >= KeyFileReader.MinimumRsaBits)
        {
            WriteRecord(keysPath, domain, selector);
        }
    }

    public static void WriteEd25519(string keysPath, string domain, string selector)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        using var text = new StringWriter();
        var writer = new PemWriter(text);
        writer.WriteObject(new Org.BouncyCastle.Utilities.IO.Pem.PemObject(
            "PRIVATE KEY", Org.BouncyCastle.Pkcs.PrivateKeyInfoFactory.CreatePrivateKeyInfo((Ed25519PrivateKeyParameters)pair.Private).GetEncoded()));
        writer.Writer.Flush();
        Write(keysPath, domain, selector, text.ToString());
        WriteRecord(keysPath, domain, selector);
    }

    /// <summary>The DNS record beside the key, as <c>keys generate</c> writes it, for the verifiers.</summary>
    private static void WriteRecord(string keysPath, string domain, string selector)
    {
        var key = KeyFileReader.Read(KeyFolder.PemPath(keysPath, domain, selector));
        File.WriteAllText(KeyFolder.RecordPath(keysPath, domain, selector), DkimDnsRecord.ZoneLine(domain.ToLowerInvariant(), selector, DkimDnsRecord.Value(key.Key)) + "\n");
    }

    public static void Write(string keysPath, string domain, string selector, string pem)
    {
        // Written aside and renamed into place, as an operator's tooling should: the store watches the folder.
        Directory.CreateDirectory(Path.Combine(keysPath, domain));
        var temporary = Path.Combine(keysPath, domain, selector + ".tmp");
        File.WriteAllText(temporary, pem);
        File.Move(temporary, Path.Combine(keysPath, domain, selector + ".pem"), overwrite: true);
    }

    public static DkimKeyStore OpenStore(string keysPath, DkimOptions? options = null, TimeProvider? time = null, ILogger<DkimKeyStore>? logger = null)
    {
        options ??= new DkimOptions();
        options.KeysPath = keysPath;
        return new(Options.Create(options),
            new HostingEnvironment { ContentRootPath = Path.GetTempPath() },
            time ?? TimeProvider.System,
            logger ?? NullLogger<DkimKeyStore>.Instance);
    }
}
