using System.Security.Cryptography;
using System.Text;
using RelaySigner.Core;

namespace RelaySigner.Feedback.Tokens;

/// <summary>
/// The VERP Return-Path <c>b-TOKEN@return-path-domain</c> of one message and recipient. TOKEN is lowercase base32
/// (40 characters, so the local part is 42 of the 64 octets RFC 5321 §4.5.3.1.1 allows) of 25 bytes:
/// <list type="bullet">
/// <item>1 byte version (1), so a later layout or key can be told apart;</item>
/// <item>11 bytes queue id (its 21 hex digits: 44 bits of milliseconds, 40 random bits);</item>
/// <item>2 bytes recipient index, big-endian: the token names the recipient by its place in the envelope, which the
/// queue's history keeps, rather than by a hash of the address — shorter, exact, and it shows nothing of the address.
/// The inbound side therefore needs the message's envelope in history when the bounce arrives;</item>
/// <item>11 bytes HMAC-SHA256 over "relaysigner-verp" and the 14 bytes before, truncated to 88 bits (NIST SP 800-107
/// allows truncation to 64 bits or more; every forgery attempt costs an SMTP transaction, so 2^88 is far out of reach).</item>
/// </list>
/// 25 bytes are exactly 40 base32 characters, so no character carries unused bits, and a token with any character
/// changed (other than its case) fails the MAC or the layout.
/// </summary>
public sealed class VerpTokenCodec(BounceSecret secret)
{
    public const string Prefix = "b-";

    private const byte Version = 1;
    private const int QueueIdBytes = 11;
    private const int MacBytes = 11;
    private const int SignedBytes = 1 + QueueIdBytes + 2;
    private const int TokenBytes = SignedBytes + MacBytes;
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("relaysigner-verp");

    /// <summary>The local part <c>b-TOKEN</c> for one recipient of a message.</summary>
    /// <exception cref="ArgumentException">The queue id is not the relay's 21 hex digits, or the index is out of range.</exception>
    public string EncodeLocalPart(VerpToken token)
    {
        if (token.RecipientIndex is < 0 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(token), "A recipient index fits in 16 bits.");
        }

        var value = token.QueueId.Value;
        if (value is null || value.Length != 2 * QueueIdBytes - 1 || !value.All(char.IsAsciiHexDigitUpper))
        {
            throw new ArgumentException($"'{value}' is not a queue id of 21 hex digits.", nameof(token));
        }

        Span<byte> bytes = stackalloc byte[TokenBytes];
        bytes[0] = Version;
        Convert.FromHexString("0" + value, bytes.Slice(1, QueueIdBytes), out _, out _);
        bytes[1 + QueueIdBytes] = (byte)(token.RecipientIndex >> 8);
        bytes[2 + QueueIdBytes] = (byte)token.RecipientIndex;
        Mac(bytes[..SignedBytes], bytes[SignedBytes..]);
        return Prefix + Base32Lower.Encode(bytes);
    }

    /// <summary>The address <c>b-TOKEN@returnPathDomain</c>.</summary>
    public string EncodeAddress(VerpToken token, string returnPathDomain) => $"{EncodeLocalPart(token)}@{returnPathDomain}";

    /// <summary>
    /// Reads a token from a local part or a whole address (the domain is not checked here: the inbound listener
    /// accepts only its return-path domains). Any case is accepted; a token whose MAC, version or layout does not
    /// check out is refused.
    /// </summary>
    public bool TryDecode(string? address, out VerpToken token)
    {
        token = default;
        if (address is null)
        {
            return false;
        }

        var at = address.LastIndexOf('@');
        var local = at < 0 ? address.AsSpan() : address.AsSpan(0, at);
        if (!local.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[TokenBytes];
        if (!Base32Lower.TryDecode(local[Prefix.Length..], bytes) || bytes[0] != Version || bytes[1] > 0x0F)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacBytes];
        Mac(bytes[..SignedBytes], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes[SignedBytes..]))
        {
            return false;
        }

        var queueId = Convert.ToHexString(bytes.Slice(1, QueueIdBytes))[1..];
        token = new VerpToken(new QueueId(queueId), (bytes[1 + QueueIdBytes] << 8) | bytes[2 + QueueIdBytes]);
        return true;
    }

    private void Mac(ReadOnlySpan<byte> signed, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[Purpose.Length + SignedBytes];
        Purpose.CopyTo(input);
        signed.CopyTo(input[Purpose.Length..]);
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret.Key, input, full);
        full[..MacBytes].CopyTo(destination);
    }
}
