using System.Globalization;

namespace RelaySigner.Intake.Dsn;

/// <summary>
/// The xtext encoding of ENVID and ORCPT values (RFC 3461 §4): printable ASCII except <c>+</c> and <c>=</c> as
/// itself, any other octet as <c>+</c> and two upper-case hex digits. Hand-written because it is a dozen lines and
/// neither SmtpServer nor MimeKit exposes a decoder (MailKit encodes on the way out).
/// </summary>
public static class Xtext
{
    /// <summary>
    /// Decodes <paramref name="value"/>; null when it is not xtext or decodes to anything but printable US-ASCII and
    /// space (RFC 3461 §4.2, §4.4). A decoded CR, LF or other control would otherwise reach the headers of a DSN.
    /// </summary>
    public static string? Decode(ReadOnlySpan<char> value)
    {
        var decoded = new char[value.Length];
        var length = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '+')
            {
                if (i + 2 >= value.Length || !IsUpperHex(value[i + 1]) || !IsUpperHex(value[i + 2]))
                {
                    return null;
                }

                c = (char)byte.Parse(value.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                if (c is < ' ' or > '~')
                {
                    return null;
                }

                i += 2;
            }
            else if (c is <= ' ' or > '~' or '=')
            {
                return null;
            }

            decoded[length++] = c;
        }

        return new string(decoded, 0, length);
    }

    private static bool IsUpperHex(char c) => c is (>= '0' and <= '9') or (>= 'A' and <= 'F');
}
