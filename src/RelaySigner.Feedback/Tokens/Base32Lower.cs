namespace RelaySigner.Feedback.Tokens;

/// <summary>
/// RFC 4648 base32 in lowercase, without padding. Chosen over base64 for local parts: receivers and forwarders may
/// change the case of a local part (RFC 5321 §2.4 lets only the receiving host decide), and base32 survives that.
/// .NET has no base32 codec, hence these few lines.
/// </summary>
internal static class Base32Lower
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length * 8 + 4) / 5];
        int buffer = 0, bits = 0, index = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                chars[index++] = Alphabet[(buffer >> bits) & 31];
            }
        }

        if (bits > 0)
        {
            chars[index] = Alphabet[(buffer << (5 - bits)) & 31];
        }

        return new string(chars);
    }

    /// <summary>
    /// Decodes case-insensitively. Refuses any other character, and a final character whose unused bits are not zero:
    /// two spellings of one token would let a changed character pass.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (text.Length != (destination.Length * 8 + 4) / 5)
        {
            return false;
        }

        int buffer = 0, bits = 0, index = 0;
        foreach (var c in text)
        {
            // ASCII only: char.ToLowerInvariant would also fold U+212A (Kelvin sign) into 'k'.
            var value = Alphabet.IndexOf(c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c);
            if (value < 0)
            {
                return false;
            }

            buffer = ((buffer << 5) | value) & 0xFFF;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                destination[index++] = (byte)(buffer >> bits);
            }
        }

        return (buffer & ((1 << bits) - 1)) == 0;
    }
}
