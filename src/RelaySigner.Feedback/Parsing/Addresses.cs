using System.Text.RegularExpressions;
using MimeKit;

namespace RelaySigner.Feedback.Parsing;

/// <summary>Mail addresses as reports and bounce texts write them.</summary>
internal static partial class Addresses
{
    [GeneratedRegex(@"(?<![\w.%+\-=/!#$&'*?^`{|}~@])[\w.%+\-=/!#$&'*?^`{|}~]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![\w\-@])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    public static partial Regex InText();

    /// <summary>Local parts that are the mail system, never the recipient a bounce is about.</summary>
    private static readonly HashSet<string> SystemLocalParts = new(StringComparer.OrdinalIgnoreCase)
    {
        "postmaster", "mailer-daemon", "mailerdaemon", "abuse", "hostmaster", "root", "daemon", "mail-daemon",
    };

    public static bool IsSystem(string address)
    {
        var local = address[..address.LastIndexOf('@')];
        return SystemLocalParts.Contains(local);
    }

    /// <summary>The address in a DSN/ARF field value: <c>rfc822; a@b</c>, <c>&lt;a@b&gt;</c>, or a bare address.</summary>
    public static string? FromField(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var semicolon = value.IndexOf(';');
        var address = (semicolon >= 0 ? value[(semicolon + 1)..] : value).Trim().Trim('<', '>', ' ', '"');
        return address.Contains('@') && !address.Any(char.IsWhiteSpace) ? Normalize(address) : null;
    }

    /// <summary>The addresses of a header (To, From, Return-Path), parsed leniently.</summary>
    public static List<string> FromHeader(HeaderList headers, HeaderId id) => FromHeaderValue(headers[id]);

    public static List<string> FromHeader(HeaderList headers, string field) => FromHeaderValue(headers[field]);

    private static List<string> FromHeaderValue(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        if (InternetAddressList.TryParse(value, out var list))
        {
            return list.Mailboxes.Select(mailbox => Normalize(mailbox.Address)).Where(address => address.Contains('@')).ToList();
        }

        return InText().Matches(value).Select(match => Normalize(match.Value)).ToList();
    }

    /// <summary>Lowercases the domain; the local part is left as written (RFC 5321 §2.4: only its host may fold it).</summary>
    public static string Normalize(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? address : address[..at] + "@" + address[(at + 1)..].ToLowerInvariant();
    }
}
