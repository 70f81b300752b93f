using System.Text.RegularExpressions;

namespace RelaySigner.Feedback.Parsing;

/// <summary>Enhanced status codes (RFC 3463: class.subject.detail) in fields and free text.</summary>
internal static partial class EnhancedStatus
{
    /// <summary>
    /// A code standing alone: not part of an IP address or version number (no digit or dot around it). Class 2, 4 or 5,
    /// subject and detail of at most three digits. A code right after a reply code ("550 5.1.1", "550-5.1.1", "#550 5.1.1")
    /// is preferred, since free text also quotes codes in passing.
    /// </summary>
    [GeneratedRegex(@"(?<![\d.])(?<reply>[245]\d\d[ -])?#?(?<code>[245]\.\d{1,3}\.\d{1,3})(?![\d.]*\d)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^\s*(?<code>[245]\.\d{1,3}\.\d{1,3})\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex FieldPattern();

    [GeneratedRegex(@"(?<![\d.])(?<reply>[45][0-5]\d)(?=[ -]|$)", RegexOptions.CultureInvariant | RegexOptions.Multiline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ReplyPattern();

    /// <summary>The code at the start of a DSN Status field, or null.</summary>
    public static string? FromField(string? value)
    {
        var match = value is null ? Match.Empty : FieldPattern().Match(value);
        return match.Success ? match.Groups["code"].Value : null;
    }

    /// <summary>The most telling code in free text (one after a reply code first), or null.</summary>
    public static string? FindInText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        string? first = null;
        foreach (Match match in CodePattern().Matches(text))
        {
            if (match.Groups["reply"].Success && match.Groups["reply"].Value[0] == match.Groups["code"].Value[0])
            {
                return match.Groups["code"].Value;
            }

            first ??= match.Groups["code"].Value;
        }

        return first;
    }

    /// <summary>The first basic reply code (4xx/5xx) in free text, or null: tells temporary from permanent when no enhanced code is given.</summary>
    public static char? FindReplyClass(string? text)
    {
        var match = string.IsNullOrEmpty(text) ? Match.Empty : ReplyPattern().Match(text);
        return match.Success ? match.Groups["reply"].Value[0] : null;
    }

    /// <summary>The more specific of a Status field and a code in the diagnostic: "5.0.0" says less than "5.1.1".</summary>
    public static string? MoreSpecific(string? field, string? fromText) =>
        field is null ? fromText
        : fromText is not null && field.EndsWith(".0.0", StringComparison.Ordinal) && fromText[0] == field[0] ? fromText
        : field;
}
