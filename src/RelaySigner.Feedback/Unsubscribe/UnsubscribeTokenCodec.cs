using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using RelaySigner.Feedback.Tokens;

namespace RelaySigner.Feedback.Unsubscribe;

/// <summary>
/// The TOKEN of <c>https://BASE/u/TOKEN</c> and <c>mailto:u-TOKEN@return-path-domain</c>: the recipient, the From's
/// organisational domain and the time, encrypted and authenticated with AES-256-GCM, so a link shows no address,
/// cannot be made for another address (forged) and cannot be guessed (enumerated) without the key.
/// <para>
/// Bytes: version (1, also authenticated as associated data), 12-byte nonce, ciphertext, 16-byte tag. The plaintext
/// is the issue time (Unix seconds, 4 bytes big-endian), the domain's length (1 byte), the domain and the recipient
/// (UTF-8). The nonce is not random but the first 12 bytes of an HMAC-SHA256 of the plaintext under a second key
/// (a synthetic IV, as AES-GCM-SIV does, RFC 8452 §1): with random nonces GCM is safe for about 2^32 tokens per key
/// (NIST SP 800-38D §8.3), which a large bulk sender makes within a year, and a repeated nonce would let a forger
/// recover the authentication key; a synthetic nonce repeats only for the same plaintext, whose token is the same.
/// Both keys are derived from the key file with HKDF (RFC 5869).
/// </para>
/// <para>
/// The link's form is base64url (RFC 4648 §5); the mailto local part is lowercase base32, which survives the case
/// changes mail systems make to local parts. A typical token is 100–120 characters, longer than the 64 octets
/// RFC 5321 §4.5.3.1.1 asks every server to accept in a local part: receivers that insist refuse the mailto, the
/// HTTPS link (the one RFC 8058 relies on) is unaffected.
/// </para>
/// </summary>
public sealed class UnsubscribeTokenCodec
{
    public const string LocalPartPrefix = "u-";

    /// <summary>Longest recipient (RFC 5321 §4.5.3.1.3: a path of 256 octets with its angle brackets) and domain (RFC 1035).</summary>
    public const int MaxRecipientLength = 254;
    public const int MaxDomainLength = 253;

    private const byte Version = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int TimeBytes = 4;
    private const int MinPlaintext = TimeBytes + 1 + 1 + 3; // a one-letter domain and "a@b"
    private const int MaxPlaintext = TimeBytes + 1 + MaxDomainLength + MaxRecipientLength * 3; // UTF-8: up to 3 bytes a character here
    private const int Overhead = 1 + NonceBytes + TagBytes;

    /// <summary>Bounds of a token's bytes, so an over-long or truncated one is refused before any decoding.</summary>
    public const int MinBytes = Overhead + MinPlaintext;
    public const int MaxBytes = Overhead + MaxPlaintext;

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static readonly byte[] AssociatedData = [.. "relaysigner-unsubscribe"u8, Version];

    private readonly byte[] _encryptionKey;
    private readonly byte[] _nonceKey;

    public UnsubscribeTokenCodec(UnsubscribeKey key)
    {
        _encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Bytes, 32, info: "relaysigner unsubscribe aes-gcm"u8.ToArray());
        _nonceKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Bytes, 32, info: "relaysigner unsubscribe nonce"u8.ToArray());
    }

    /// <summary>The token as it goes into the HTTPS link (base64url).</summary>
    public static string UrlForm(byte[] sealedToken) => Base64Url.EncodeToString(sealedToken);

    /// <summary>The local part <c>u-TOKEN</c> of the mailto address (lowercase base32).</summary>
    public static string LocalPartForm(byte[] sealedToken) => LocalPartPrefix + Base32Lower.Encode(sealedToken);

    /// <summary>Reads a token of an HTTPS link; false when it is not base64url of a plausible length (malformed).</summary>
    public static bool TryParseUrlToken(string? text, out byte[] sealedToken)
    {
        sealedToken = [];
        // The alphabet is checked first: the decoder would skip white space, giving one token several spellings.
        if (text is null || text.Length < Base64Url.GetEncodedLength(MinBytes) || text.Length > Base64Url.GetEncodedLength(MaxBytes) ||
            text.AsSpan().ContainsAnyExcept(Base64UrlAlphabet) || !Base64Url.IsValid(text, out var length) || length is < MinBytes or > MaxBytes)
        {
            return false;
        }

        sealedToken = Base64Url.DecodeFromChars(text);
        return true;
    }

    /// <summary>Reads the token of a mailto local part <c>u-TOKEN</c> (any case, the domain after '@' ignored).</summary>
    public static bool TryParseLocalPart(string? address, out byte[] sealedToken)
    {
        sealedToken = [];
        if (address is null)
        {
            return false;
        }

        var at = address.LastIndexOf('@');
        var local = at < 0 ? address.AsSpan() : address.AsSpan(0, at);
        if (!local.StartsWith(LocalPartPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var encoded = local[LocalPartPrefix.Length..];
        var length = encoded.Length * 5 / 8;
        if (length is < MinBytes or > MaxBytes)
        {
            return false;
        }

        var bytes = new byte[length];
        if (!Base32Lower.TryDecode(encoded, bytes))
        {
            return false;
        }

        sealedToken = bytes;
        return true;
    }

    /// <summary>Decrypts and authenticates a parsed token; false when it was not made with this key (forged,
    /// altered, or from another relay).</summary>
    public bool TryOpen(ReadOnlySpan<byte> sealedToken, out UnsubscribeToken token)
    {
        token = null!;
        if (sealedToken.Length is < MinBytes or > MaxBytes || sealedToken[0] != Version)
        {
            return false;
        }

        var nonce = sealedToken.Slice(1, NonceBytes);
        var ciphertext = sealedToken[(1 + NonceBytes)..^TagBytes];
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(_encryptionKey, TagBytes))
        {
            try
            {
                aes.Decrypt(nonce, ciphertext, sealedToken[^TagBytes..], plaintext, AssociatedData);
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
        }

        Span<byte> expectedNonce = stackalloc byte[NonceBytes];
        SyntheticNonce(plaintext, expectedNonce);
        var domainLength = plaintext[TimeBytes];
        if (!CryptographicOperations.FixedTimeEquals(expectedNonce, nonce) || TimeBytes + 1 + domainLength >= plaintext.Length)
        {
            return false;
        }

        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(plaintext));
        var domain = Encoding.UTF8.GetString(plaintext, TimeBytes + 1, domainLength);
        var recipient = Encoding.UTF8.GetString(plaintext, TimeBytes + 1 + domainLength, plaintext.Length - TimeBytes - 1 - domainLength);
        token = new UnsubscribeToken(recipient, domain, issuedAt);
        return true;
    }

    /// <summary>Encrypts and authenticates <paramref name="token"/>; see <see cref="UrlForm"/> and <see cref="LocalPartForm"/>.</summary>
    /// <exception cref="ArgumentException">The recipient or domain is empty or too long.</exception>
    public byte[] Seal(UnsubscribeToken token)
    {
        var domain = Encoding.UTF8.GetBytes(token.Domain);
        var recipient = Encoding.UTF8.GetBytes(token.Recipient);
        if (domain.Length is 0 or > MaxDomainLength || token.Recipient.Length is 0 or > MaxRecipientLength)
        {
            throw new ArgumentException("An unsubscribe token needs a recipient of at most 254 characters and a domain of at most 253.", nameof(token));
        }

        var plaintext = new byte[TimeBytes + 1 + domain.Length + recipient.Length];
        BinaryPrimitives.WriteUInt32BigEndian(plaintext, (uint)token.IssuedAt.ToUnixTimeSeconds());
        plaintext[TimeBytes] = (byte)domain.Length;
        domain.CopyTo(plaintext, TimeBytes + 1);
        recipient.CopyTo(plaintext, TimeBytes + 1 + domain.Length);

        var sealedToken = new byte[Overhead + plaintext.Length];
        sealedToken[0] = Version;
        var nonce = sealedToken.AsSpan(1, NonceBytes);
        SyntheticNonce(plaintext, nonce);
        using var aes = new AesGcm(_encryptionKey, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedToken.AsSpan(1 + NonceBytes, plaintext.Length), sealedToken.AsSpan(^TagBytes), AssociatedData);
        return sealedToken;
    }

    private void SyntheticNonce(ReadOnlySpan<byte> plaintext, Span<byte> nonce)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_nonceKey, plaintext, mac);
        mac[..NonceBytes].CopyTo(nonce);
    }
}
