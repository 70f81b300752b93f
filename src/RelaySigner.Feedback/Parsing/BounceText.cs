using System.Net;
using System.Text.RegularExpressions;
using MimeKit;

namespace RelaySigner.Feedback.Parsing;

/// <summary>
/// The human-readable part of a message coming back: its text parts (HTML reduced to text when there is no plain
/// text), not the quoted original message nor the machine-readable report. Non-MIME bounces (qmail, old Sendmail)
/// paste the original after a marker line: the text is cut there, and what follows is kept as the quoted original.
/// </summary>
internal sealed partial record BounceText(string Explanation, string? QuotedOriginal)
{
    [GeneratedRegex(@"^[ \t]*(?:-{2,}[ \t]*Below this line is a copy of the message|-{2,}[ \t]*This is a copy of the message|-{2,}[ \t]*(?:Unsent|Original) message follows|-{2,}[ \t]*The header of the original message|-{2,}[ \t]*Original message headers?|Original message headers:|-{2,}[ \t]*Returned message|-{2,}[ \t]*Original message[ \t]*-{2,}|-{2,}[ \t]*Message header follows)", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex OriginalMarker();

    // Invisible content, then the tags that end a line (so an address and its reason stay on lines of their own), then the rest.
    [GeneratedRegex(@"<(?:style|script|head)\b.*?</(?:style|script|head)\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HtmlInvisible();

    [GeneratedRegex(@"<br\b[^>]*>|</?(?:p|div|tr|li|h\d|table)\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HtmlLineBreak();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HtmlTag();

    public static BounceText Of(MimeMessage message, FeedbackLimits limits)
    {
        var plain = new List<string>();
        var html = new List<string>();
        Collect(message.Body, plain, html, limits, depth: 0);
        var text = plain.Count > 0 ? string.Join("\n", plain) : string.Join("\n", html.Select(FromHtml));
        if (text.Length > limits.MaxTextChars)
        {
            text = text[..limits.MaxTextChars];
        }

        var marker = OriginalMarker().Match(text);
        return marker.Success ? new BounceText(text[..marker.Index], text[marker.Index..]) : new BounceText(text, null);
    }

    private static void Collect(MimeEntity? entity, List<string> plain, List<string> html, FeedbackLimits limits, int depth)
    {
        if (entity is null || depth > limits.MaxMimeDepth)
        {
            return;
        }

        switch (entity)
        {
            case Multipart multipart:
                foreach (var child in multipart)
                {
                    Collect(child, plain, html, limits, depth + 1);
                }

                break;
            case TextPart { IsAttachment: false } text when text.ContentType.IsMimeType("text", "plain"):
                plain.Add(ReportFields.ContentText(text, limits.MaxTextChars));
                break;
            case TextPart { IsAttachment: false } text when text.ContentType.IsMimeType("text", "html"):
                html.Add(ReportFields.ContentText(text, limits.MaxTextChars));
                break;
        }
    }

    private static string FromHtml(string html) =>
        WebUtility.HtmlDecode(HtmlTag().Replace(HtmlLineBreak().Replace(HtmlInvisible().Replace(html, " "), "\n"), " "));
}
