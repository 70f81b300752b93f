using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using RelaySigner.Signing.Dkim;
using RelaySigner.Signing.Keys;
using RelaySigner.Signing.Policy;
using RelaySigner.Testing;

namespace RelaySigner.Tests.Signing;

/// <summary>
/// RFC 8463 Appendix A: the RFC's keys (A.1), key records (A.2) and the message signed with both algorithms (A.3),
/// as golden files in TestData/Rfc8463 (signed.eml was checked with dkimpy). The RFC's signatures carry i= and q=,
/// which the relay does not write, and b= covers the signature header itself, so the published b= values are
/// reproduced by feeding the RFC's own header through the relay's signing keys (platform RSA; BouncyCastle Ed25519
/// over SHA-256, RFC 8463 §3), the relay's header canonicalization is held to an independent one on every field of
/// the RFC's message, and the relay's signature writer is held to the RFC's bh= and t= and to verifying under the
/// RFC's records.
/// </summary>
public sealed class Rfc8463VectorTests
{
    private const long RfcTimestamp = 1528637909;
    private const string RfcBodyHash = "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=";
    private const string RsaRecord = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB";
    private const string Ed25519Record = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "tests", "RelaySigner.Tests", "Signing", "TestData", "Rfc8463");
    private static readonly string[] RfcHeaders = ["from", "to", "subject", "date", "message-id", "from", "subject", "date"];

    [Fact]
    public void The_dns_records_of_the_rfc_keys_are_the_published_ones()
    {
        Assert.Equal(RsaRecord, DkimDnsRecord.Value(RsaKey()));
        Assert.Equal(Ed25519Record, DkimDnsRecord.Value(Ed25519Key()));
    }

    [Fact]
    public void The_published_rsa_signature_is_reproduced_byte_for_byte_by_the_platform_rsa_context()
    {
        var (data, published) = SignedDataAndSignature(signatureIndex: 1);
        using var rsa = PlatformRsa(RsaKey());
        var key = new RsaSigningKey(rsa);

        var signature = key.SignHash(SHA256.HashData(data));

        Assert.Equal(published, Convert.ToBase64String(signature));
    }

    [Fact]
    public void The_published_ed25519_signature_is_reproduced_byte_for_byte()
    {
        var (data, published) = SignedDataAndSignature(signatureIndex: 0);
        var key = new Ed25519SigningKey(Ed25519Key());

        var signature = key.SignHash(SHA256.HashData(data));

        Assert.Equal(published, Convert.ToBase64String(signature));
    }

    [Theory]
    [InlineData(DkimSignatureAlgorithm.RsaSha256, "test")]
    [InlineData(DkimSignatureAlgorithm.Ed25519Sha256, "brisbane")]
    public void The_relay_signer_gives_the_rfc_body_hash_and_timestamp_and_verifies_under_the_rfc_records(DkimSignatureAlgorithm algorithm, string selector)
    {
        var message = File.ReadAllBytes(Path.Combine(Folder, "message.eml"));
        DkimSigningKey key = algorithm == DkimSignatureAlgorithm.RsaSha256 ? new RsaSigningKey(PlatformRsa(RsaKey())) : new Ed25519SigningKey(Ed25519Key());
        var writer = new DkimSignatureWriter("football.example.com", selector, key, Canonicalization.RelaxedRelaxed, lifetime: null,
            new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(RfcTimestamp)));

        var signature = writer.Sign(RawMessage.Split(message), RfcHeaders);

        var signed = MimeMessage.Load(new MemoryStream([.. signature, .. message]));
        var tags = Tags(signed.Headers[0].Value);
        Assert.Equal(RfcBodyHash, tags["bh"]);
        Assert.Equal(RfcTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), tags["t"]);
        Assert.Equal("from:to:subject:date:message-id:from:subject:date", tags["h"]);
        Assert.True(new DkimVerifier(new RfcRecords()).Verify(signed, signed.Headers[0]));
    }

    [Fact]
    public void The_relay_canonicalizes_every_field_of_the_rfc_message_as_the_rfc_does()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Folder, "signed.eml"));
        var message = RawMessage.Split(bytes);

        Assert.Equal(7, message.Fields.Count);
        Assert.All(message.Fields, field =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            HeaderCanonicalization.Append(hash, message.BytesOf(field), DkimCanonicalizationAlgorithm.Relaxed, finalCrlf: true);
            var text = Encoding.ASCII.GetString(message.BytesOf(field));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var expected = $"{text[..colon].Trim().ToLowerInvariant()}:{Relaxed(text[(colon + 1)..])}\r\n";
            Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(expected)), hash.GetHashAndReset());
        });
    }

    [Fact]
    public void The_rfc_signed_message_verifies_with_mimekit_under_the_records_derived_from_the_keys()
    {
        var message = MimeMessage.Load(Path.Combine(Folder, "signed.eml"));
        var verifier = new DkimVerifier(new RfcRecords()) { MinimumRsaKeyLength = 1024 };

        Assert.All(message.Headers.Where(h => h.Id == HeaderId.DkimSignature), h => Assert.True(verifier.Verify(message, h)));
    }

    /// <summary>
    /// What a relaxed signer hashes (RFC 6376 §3.4.2, §3.7): the h= fields in order (absent ones contribute nothing),
    /// then the signature header itself with an empty b= and no final CRLF. Written out here so the published b= can
    /// be checked against the signing primitive alone.
    /// </summary>
    private static (byte[] Data, string Signature) SignedDataAndSignature(int signatureIndex)
    {
        var text = File.ReadAllText(Path.Combine(Folder, "signed.eml"));
        var fields = Regex.Matches(text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)] + "\r\n", @"(?m)^([^\s:]+):(.*\r\n(?:[ \t].*\r\n)*)")
            .Select(m => (Name: m.Groups[1].Value.ToLowerInvariant(), Value: m.Groups[2].Value)).ToList();
        var signature = fields.Where(f => f.Name == "dkim-signature").ElementAt(signatureIndex).Value;
        var data = new StringBuilder();
        var consumed = new Dictionary<string, int>();
        foreach (var name in Tags(signature)["h"].Split(':'))
        {
            // The n-th listing of a name signs its n-th instance from the bottom; beyond the last, nothing.
            var instances = fields.Where(f => f.Name == name).Reverse().ToList();
            var index = consumed[name] = consumed.GetValueOrDefault(name) + 1;
            if (index <= instances.Count)
            {
                data.Append(name).Append(':').Append(Relaxed(instances[index - 1].Value)).Append("\r\n");
            }
        }

        data.Append("dkim-signature:").Append(Relaxed(Regex.Replace(signature, @"b=[^;]*$", "b=")));
        return (Encoding.ASCII.GetBytes(data.ToString()), Tags(signature)["b"]);
    }

    private static string Relaxed(string value) => Regex.Replace(value.Replace("\r\n", string.Empty), "[ \t]+", " ").Trim();

    private static Dictionary<string, string> Tags(string value) =>
        value.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.Split('=', 2))
            .ToDictionary(t => t[0].Trim(), t => Regex.Replace(t[1], @"\s+", string.Empty));

    private static RsaPrivateCrtKeyParameters RsaKey()
    {
        using var reader = File.OpenText(Path.Combine(Folder, "rsa-test.pem"));
        return (RsaPrivateCrtKeyParameters)((AsymmetricCipherKeyPair)new PemReader(reader).ReadObject()).Private;
    }

    private static Ed25519PrivateKeyParameters Ed25519Key() =>
        new(Convert.FromBase64String(File.ReadAllText(Path.Combine(Folder, "ed25519-brisbane.seed"))));

    private static RSA PlatformRsa(RsaPrivateCrtKeyParameters key)
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(DotNetUtilities.ToRSAParameters(key));
        return rsa;
    }

    /// <summary>The RFC's key records (A.2), derived from its private keys.</summary>
    private sealed class RfcRecords : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            GetPublicKey(selector == "test" ? DkimDnsRecord.Value(RsaKey()) : DkimDnsRecord.Value(Ed25519Key()));

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
