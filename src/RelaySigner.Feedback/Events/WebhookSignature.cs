using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RelaySigner.Feedback.Events;

/// <summary>
/// The <c>X-RelaySigner-Signature: t=UNIXSECONDS,v1=HEX</c> header of a webhook POST, where HEX is the lower-case
/// HMAC-SHA256, under the configured secret (its UTF-8 bytes), of <c>t</c>, a dot and the exact body bytes (the
/// scheme Stripe and others use). Signing the time with the body lets a receiver refuse a captured POST replayed
/// later: it recomputes the MAC, compares it in constant time, and rejects a <c>t</c> older than a few minutes; the
/// event's <c>id</c> catches a repeat within that window. A later key scheme would add <c>v2=</c> beside <c>v1=</c>.
/// </summary>
public sealed class WebhookSignature(string secret)
{
    public const string HeaderName = "X-RelaySigner-Signature";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);

    public string HeaderValue(DateTimeOffset now, ReadOnlySpan<byte> body)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={Compute(_key, timestamp, body)}";
    }

    /// <summary>The lower-case hex HMAC of <c>timestamp + "." + body</c>.</summary>
    public static string Compute(byte[] key, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.ASCII.GetBytes(timestamp + "."));
        hmac.AppendData(body);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }
}
