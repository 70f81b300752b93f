using System.Security.Cryptography;
using Microsoft.Extensions.Hosting.Internal;
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
    }

    public static void Write(string keysPath, string domain, string selector, string pem)
    {
        Directory.CreateDirectory(Path.Combine(keysPath, domain));
        File.WriteAllText(Path.Combine(keysPath, domain, selector + ".pem"), pem);
    }

    public static DkimKeyStore OpenStore(string keysPath) =>
        new(Options.Create(new DkimOptions { KeysPath = keysPath }),
            new HostingEnvironment { ContentRootPath = Path.GetTempPath() },
            NullLogger<DkimKeyStore>.Instance);
}
