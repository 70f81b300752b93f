using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using RelaySigner.Core.Signing;
using RelaySigner.Dmarc.Lookup;

namespace RelaySigner.Dmarc.Checks;

/// <summary>
/// Is the selector's public key published at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>, and is it the public
/// half of the private key the relay signs with? A mismatch means every signature fails at the receiver.
/// </summary>
public sealed class DkimSelectorCheck(TxtLookup txt)
{
    /// <summary>The verdict alone (for the guard before signing); DNS failures give <see cref="PublishedKeyVerdict.LookupFailed"/>.</summary>
    public async Task<PublishedKey> InspectAsync(string domain, string selector, AsymmetricKeyParameter publicKey, CancellationToken cancellationToken)
    {
        var name = $"{selector}._domainkey.{domain}";
        IReadOnlyList<string> texts;
        try
        {
            texts = await txt.FindAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            return new(PublishedKeyVerdict.LookupFailed, ex.Message, null, null);
        }

        var records = texts.Where(text => text.Contains("p=", StringComparison.Ordinal)).ToList();
        if (records.Count != 1)
        {
            return records.Count == 0
                ? new(PublishedKeyVerdict.Missing, $"no key record at {name}", null, null)
                : new(PublishedKeyVerdict.Different, $"{records.Count} key records at {name}; publish one", null, null);
        }

        var record = DkimKeyRecord.Parse(records[0]);
        if (record.Version is not (null or "DKIM1"))
        {
            return new(PublishedKeyVerdict.Different, $"{name}: v={record.Version}, must be DKIM1", record, null);
        }

        if (record.PublicKey.Length == 0)
        {
            return new(PublishedKeyVerdict.Different, $"{name}: p= is empty, the key is revoked", record, null);
        }

        AsymmetricKeyParameter published;
        try
        {
            published = Decode(record);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidCastException or IOException)
        {
            return new(PublishedKeyVerdict.Different, $"{name}: p= is not a valid {record.KeyType} public key", record, null);
        }

        return SameKey(published, publicKey)
            ? new(PublishedKeyVerdict.Matches, $"{name}: published, matches the private key", record, published)
            : new(PublishedKeyVerdict.Different, $"{name}: the published key is not the public half of the relay's private key; every signature will fail", record, published);
    }

    /// <summary>The verdict as check lines, with the key size and the testing flag judged too.</summary>
    /// <exception cref="InvalidOperationException">DNS failed.</exception>
    public async Task<IReadOnlyList<CheckResult>> CheckAsync(string domain, string selector, AsymmetricKeyParameter publicKey, CancellationToken cancellationToken)
    {
        var subject = $"DKIM {selector}";
        var found = await InspectAsync(domain, selector, publicKey, cancellationToken).ConfigureAwait(false);
        if (found.Verdict == PublishedKeyVerdict.LookupFailed)
        {
            throw new InvalidOperationException(found.Detail);
        }

        if (found.Verdict != PublishedKeyVerdict.Matches)
        {
            return [new(subject, CheckStatus.Fail, found.Detail)];
        }

        var results = new List<CheckResult>
        {
            found.Key is RsaKeyParameters { Modulus.BitLength: < 2048 } small
                ? new(subject, CheckStatus.Fail, $"{found.Detail}, but RSA of {small.Modulus.BitLength} bits; use at least 2048")
                : new(subject, CheckStatus.Pass, $"{found.Detail} ({(found.Key is RsaKeyParameters rsa ? $"rsa {rsa.Modulus.BitLength} bits" : "ed25519")})"),
        };
        if (found.Record!.Flags.Contains("y"))
        {
            results.Add(new(subject, CheckStatus.Warn, $"{selector}._domainkey.{domain}: t=y (testing): receivers may treat signatures as unsigned; remove it once verified"));
        }

        return results;
    }

    private static AsymmetricKeyParameter Decode(DkimKeyRecord record) =>
        Decode(new DkimPublicKey(record.KeyType, Convert.FromBase64String(record.PublicKey)));

    /// <summary>RSA p= is a SubjectPublicKeyInfo (RFC 6376 §3.6.1); Ed25519 p= is the raw 32-byte key (RFC 8463 §4.2).</summary>
    /// <exception cref="FormatException">An unknown key type.</exception>
    public static AsymmetricKeyParameter Decode(DkimPublicKey key) => key.KeyType switch
    {
        "ed25519" => new Ed25519PublicKeyParameters(key.Data),
        "rsa" => PublicKeyFactory.CreateKey(key.Data),
        _ => throw new FormatException($"k={key.KeyType}"),
    };

    private static bool SameKey(AsymmetricKeyParameter published, AsymmetricKeyParameter expected) => (published, expected) switch
    {
        (RsaKeyParameters a, RsaKeyParameters b) => a.Modulus.Equals(b.Modulus) && a.Exponent.Equals(b.Exponent),
        (Ed25519PublicKeyParameters a, Ed25519PublicKeyParameters b) => a.GetEncoded().AsSpan().SequenceEqual(b.GetEncoded()),
        _ => false,
    };
}
