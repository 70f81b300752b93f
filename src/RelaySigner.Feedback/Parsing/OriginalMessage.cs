using System.Text;
using MimeKit;

namespace RelaySigner.Feedback.Parsing;

/// <summary>
/// The header of the message a report is about: an attached message/rfc822 (or message/global), text/rfc822-headers,
/// or the copy a non-MIME bounce pastes after its marker line. Its To names the recipient when the report does not,
/// and its Return-Path carries the VERP token.
/// </summary>
internal static class OriginalMessage
{
    public static HeaderList? FindHeaders(MimeMessage message, BounceText text, FeedbackLimits limits) =>
        Find(message.Body, limits, depth: 0) ?? (text.QuotedOriginal is { } quoted ? Load(SkipMarkerLine(quoted), limits) : null);

    private static HeaderList? Find(MimeEntity? entity, FeedbackLimits limits, int depth)
    {
        if (entity is null || depth > limits.MaxMimeDepth)
        {
            return null;
        }

        return entity switch
        {
            MessagePart { Message: not null } part => part.Message.Headers,
            Multipart multipart => multipart.Select(child => Find(child, limits, depth + 1)).FirstOrDefault(headers => headers is not null),
            MimePart part when part.ContentType.IsMimeType("text", "rfc822-headers") || part.ContentType.IsMimeType("message", "rfc822-headers") =>
                Load(ReportFields.ContentText(part, limits.MaxTextChars), limits),
            _ => null,
        };
    }

    private static string SkipMarkerLine(string quoted)
    {
        var text = quoted[(quoted.IndexOf('\n') + 1)..];
        return text.TrimStart('\r', '\n', ' ', '\t');
    }

    private static HeaderList? Load(string text, FeedbackLimits limits)
    {
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        var crlfEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var header = crlfEnd >= 0 && (end < 0 || crlfEnd < end) ? text[..crlfEnd] : end >= 0 ? text[..end] : text;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(header + "\n\n"));
            var headers = HeaderList.Load(FeedbackParser.ParserOptions(limits), stream);
            return headers.Count > 0 ? headers : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
