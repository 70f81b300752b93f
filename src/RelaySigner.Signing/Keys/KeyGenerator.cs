using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace RelaySigner.Signing.Keys;

/// <summary>
/// Creates a signing key in the key folder (PKCS#8 PEM, readable by its owner only) and its DNS record beside it.
/// Never overwrites: replacing a key that is in use would break every queued message's signature check.
/// With <c>pending</c> the key is written as <see cref="KeyFolder.PendingPemPath"/>: the relay signs with it only once it is activated.
/// </summary>
public static partial class KeyGenerator
{
    /// <exception cref="ArgumentException">A bad domain, selector or key size.</exception>
    /// <param name="pending">Write the key pending, so that no relay signs with it before its record is published.</param>
    /// <exception cref="IOException">The key exists already.</exception>
    public static GeneratedKey Generate(string keysPath, string domain, string selector, DkimSignatureAlgorithm algorithm, int bits = 2048, bool pending = false)
    {
        var asciiDomain = AsciiDomain(domain);
        if (!Selector().IsMatch(selector))
        {
            throw new ArgumentException($"selector '{selector}' must be DNS labels (letters, digits, '-', separated by '.')", nameof(selector));
        }

        if (algorithm == DkimSignatureAlgorithm.RsaSha256 && bits < KeyFileReader.MinimumRsaBits)
        {
            throw new ArgumentException($"RSA keys need at least {KeyFileReader.MinimumRsaBits} bits", nameof(bits));
        }

        var pem = algorithm == DkimSignatureAlgorithm.Ed25519Sha256 ? Ed25519Pem() : RsaPem(bits);
        Directory.CreateDirectory(Path.Combine(keysPath, asciiDomain));
        if (File.Exists(KeyFolder.PemPath(keysPath, asciiDomain, selector)))
        {
            throw new IOException($"{KeyFolder.PemPath(keysPath, asciiDomain, selector)} exists already");
        }

        var path = pending ? KeyFolder.PendingPemPath(keysPath, asciiDomain, selector) : KeyFolder.PemPath(keysPath, asciiDomain, selector);
        var owner = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            owner.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // 0600: created so, never widened later
        }

        using (var writer = new StreamWriter(path, owner))
        {
            writer.Write(pem);
        }

        var value = DkimDnsRecord.Value(KeyFileReader.Read(path).Key);
        var zoneLine = DkimDnsRecord.ZoneLine(asciiDomain, selector, value);
        File.WriteAllText(KeyFolder.RecordPath(keysPath, asciiDomain, selector), zoneLine + "\n");
        return new GeneratedKey(path, DkimDnsRecord.Name(asciiDomain, selector), value, zoneLine);
    }

    /// <summary>The domain as lower-case A-labels: at least two labels of letters, digits and '-' (it names a folder and a DNS record).</summary>
    private static string AsciiDomain(string domain)
    {
        string ascii;
        try
        {
            ascii = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(domain.Trim().TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            ascii = string.Empty;
        }

        return DomainName().IsMatch(ascii) && ascii.Length <= 253
            ? ascii
            : throw new ArgumentException($"domain '{domain}' is not a domain name (e.g. example.com)", nameof(domain));
    }

    private static string RsaPem(int bits)
    {
        using var rsa = RSA.Create(bits);
        return rsa.ExportPkcs8PrivateKeyPem() + "\n";
    }

    private static string Ed25519Pem()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var privateKey = (Ed25519PrivateKeyParameters)generator.GenerateKeyPair().Private;
        using var text = new StringWriter();
        var writer = new PemWriter(text);
        writer.WriteObject(new Org.BouncyCastle.Utilities.IO.Pem.PemObject("PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(privateKey).GetEncoded()));
        writer.Writer.Flush();
        return text.ToString();
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex Selector();

    [GeneratedRegex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DomainName();
}
