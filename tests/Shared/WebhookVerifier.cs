using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RelaySigner.Testing;

/// <summary>
/// What a webhook receiver does with <c>X-RelaySigner-Signature: t=…,v1=…</c>, written from the README's description
/// (not from the relay's code): HMAC-SHA256 of <c>t + "." + body</c> under the secret, compared in constant time,
/// and <c>t</c> no further than <paramref name="tolerance"/> from the receiver's clock.
/// </summary>
internal static class WebhookVerifier
{
    public static bool Verify(string secret, string? header, byte[] body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (header is null)
        {
            return false;
        }

        var fields = header.Split(',').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToLookup(f => f[0], f => f[1]);
        var timestamp = fields["t"].FirstOrDefault();
        if (timestamp is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        byte[] signed = [.. Encoding.ASCII.GetBytes(timestamp + "."), .. body];
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return fields["v1"].Any(v => v.Length == 64 && v.All(char.IsAsciiHexDigit) && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(v), expected));
    }
}
