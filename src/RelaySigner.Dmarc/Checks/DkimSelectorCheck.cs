using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using RelaySigner.Dmarc.Lookup;

namespace RelaySigner.Dmarc.Checks;

/// <summary>
/// Is the selector's public key published at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>, and is it the public
/// half of the private key the relay signs with? A mismatch means every signature fails at the receiver.
/// </summary>
public sealed class DkimSelectorCheck(TxtLookup txt)
{
    public async Task<IReadOnlyList<CheckResult>> CheckAsync(string domain, string selector, AsymmetricKeyParameter publicKey, CancellationToken cancellationToken)
    {
        var subject = $"DKIM {selector}";
        var name = $"{selector}._domainkey.{domain}";
        var records = (await txt.FindAsync(name, cancellationToken).ConfigureAwait(false))
            .Where(text => text.Contains("p=", StringComparison.Ordinal))
            .ToList();
        if (records.Count != 1)
        {
            return [new(subject, CheckStatus.Fail, records.Count == 0 ? $"no key record at {name}" : $"{records.Count} key records at {name}; publish one")];
        }

        var record = DkimKeyRecord.Parse(records[0]);
        if (record.Version is not (null or "DKIM1"))
        {
            return [new(subject, CheckStatus.Fail, $"{name}: v={record.Version}, must be DKIM1")];
        }

        if (record.PublicKey.Length == 0)
        {
            return [new(subject, CheckStatus.Fail, $"{name}: p= is empty, the key is revoked")];
        }

        AsymmetricKeyParameter published;
        try
        {
            published = Decode(record);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidCastException or IOException)
        {
            return [new(subject, CheckStatus.Fail, $"{name}: p= is not a valid {record.KeyType} public key")];
        }

        var results = new List<CheckResult>();
        if (!SameKey(published, publicKey))
        {
            results.Add(new(subject, CheckStatus.Fail, $"{name}: the published key is not the public half of the relay's private key; every signature will fail"));
        }
        else if (published is RsaKeyParameters { Modulus.BitLength: < 2048 } small)
        {
            results.Add(new(subject, CheckStatus.Fail, $"{name}: RSA key of {small.Modulus.BitLength} bits; use at least 2048"));
        }
        else
        {
            var size = published is RsaKeyParameters rsa ? $"rsa {rsa.Modulus.BitLength} bits" : "ed25519";
            results.Add(new(subject, CheckStatus.Pass, $"{name}: published, matches the private key ({size})"));
        }

        if (record.Flags.Contains("y"))
        {
            results.Add(new(subject, CheckStatus.Warn, $"{name}: t=y (testing): receivers may treat signatures as unsigned; remove it once verified"));
        }

        return results;
    }

    /// <summary>RSA p= is a SubjectPublicKeyInfo (RFC 6376 §3.6.1); Ed25519 p= is the raw 32-byte key (RFC 8463 §4.2).</summary>
    private static AsymmetricKeyParameter Decode(DkimKeyRecord record)
    {
        var bytes = Convert.FromBase64String(record.PublicKey);
        return record.KeyType switch
        {
            "ed25519" => new Ed25519PublicKeyParameters(bytes),
            "rsa" => PublicKeyFactory.CreateKey(bytes),
            _ => throw new FormatException($"k={record.KeyType}"),
        };
    }

    private static bool SameKey(AsymmetricKeyParameter published, AsymmetricKeyParameter expected) => (published, expected) switch
    {
        (RsaKeyParameters a, RsaKeyParameters b) => a.Modulus.Equals(b.Modulus) && a.Exponent.Equals(b.Exponent),
        (Ed25519PublicKeyParameters a, Ed25519PublicKeyParameters b) => a.GetEncoded().AsSpan().SequenceEqual(b.GetEncoded()),
        _ => false,
    };
}
