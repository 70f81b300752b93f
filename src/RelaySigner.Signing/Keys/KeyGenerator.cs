using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MimeKit.Cryptography;
using RelaySigner.Core;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;

namespace RelaySigner.Signing.Keys;

/// <summary>
/// Creates a signing key in the key folder (PKCS#8 PEM, 0600 in 0700 folders) and its DNS record beside it.
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
        // 0700 folders and a 0600 file, as DkimKeyStore wants them (KeyFileSafety); the file is created so, never
        // readable by others for a moment.
        OwnerOnly.CreateFolder(Path.Combine(keysPath, asciiDomain));
        if (File.Exists(KeyFolder.PemPath(keysPath, asciiDomain, selector)))
        {
            throw new IOException($"{KeyFolder.PemPath(keysPath, asciiDomain, selector)} exists already");
        }

        var path = pending ? KeyFolder.PendingPemPath(keysPath, asciiDomain, selector) : KeyFolder.PemPath(keysPath, asciiDomain, selector);
        using (var writer = new StreamWriter(path, OwnerOnly.FileOptions(FileMode.CreateNew, FileAccess.Write)))
        {
            writer.Write(pem);
        }

        OwnerOnly.RestrictFile(path);

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
        // PKCS#8 v1 without the public key, as `openssl genpkey -algorithm ed25519` writes it (RFC 8410 §7):
        // BouncyCastle's PrivateKeyInfoFactory attaches the public key (OneAsymmetricKey v2, RFC 5958), which
        // OpenSSL 3.0 and Python's cryptography refuse to read. KeyFileReader reads both forms.
        var info = new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), new DerOctetString(privateKey.GetEncoded()));
        using var text = new StringWriter();
        var writer = new PemWriter(text);
        writer.WriteObject(new Org.BouncyCastle.Utilities.IO.Pem.PemObject("PRIVATE KEY", info.GetEncoded()));
        writer.Writer.Flush();
        return text.ToString();
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex Selector();

    [GeneratedRegex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DomainName();
}
