using System.Text.RegularExpressions;
using MimeKit;

namespace RelaySigner.Feedback.Parsing;

/// <summary>
/// Reads one message that came back — a delivery-status report, an ARF complaint, a non-standard bounce or an
/// automatic reply — into its recipients, each with a status and a kind. Written for hostile input: the message is
/// read to at most <see cref="FeedbackLimits.MaxMessageBytes"/>, MIME nesting and scanned text are bounded, every
/// pattern has a timeout, and anything unreadable yields an empty report, never an exception.
/// </summary>
public sealed class FeedbackParser(FeedbackLimits limits)
{
    public FeedbackParser()
        : this(FeedbackLimits.Default)
    {
    }

    /// <summary>Parses a message; an unreadable or oversized one gives <see cref="FeedbackReport.Empty"/>.</summary>
    public FeedbackReport Parse(Stream input)
    {
        var bytes = ReadBounded(input);
        if (bytes is null)
        {
            return FeedbackReport.Empty;
        }

        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            return Parse(MimeMessage.Load(ParserOptions(limits), stream));
        }
        catch (Exception ex) when (ex is FormatException or RegexMatchTimeoutException)
        {
            return FeedbackReport.Empty;
        }
    }

    internal static ParserOptions ParserOptions(FeedbackLimits limits) => new() { MaxMimeDepth = limits.MaxMimeDepth };

    private FeedbackReport Parse(MimeMessage message)
    {
        var text = BounceText.Of(message, limits);
        var original = OriginalMessage.FindHeaders(message, text, limits);
        var report = Read(message, text, original);
        if (original is null)
        {
            return report;
        }

        var from = Addresses.FromHeader(original, HeaderId.From).FirstOrDefault();
        return report with
        {
            OriginalMessageId = original[HeaderId.MessageId]?.Trim().Trim('<', '>').Trim() is { Length: > 0 } messageId ? messageId : null,
            OriginalFromDomain = from?[(from.LastIndexOf('@') + 1)..],
        };
    }

    private FeedbackReport Read(MimeMessage message, BounceText text, HeaderList? original)
    {
        if (ComplaintReader.Read(message, original, limits) is { } complaint)
        {
            return complaint;
        }

        var returnPath = original is null ? null : Addresses.FromHeader(original, HeaderId.ReturnPath).FirstOrDefault();
        var reported = DeliveryStatusReader.Read(message, text, limits);
        if (reported.Count > 0)
        {
            return new FeedbackReport(reported, returnPath);
        }

        // A bounce often carries Auto-Submitted too (Exim writes auto-replied): who sent it and its title come first.
        var fromMailSystem = BounceTextReader.IsFromMailSystem(message);
        if (!fromMailSystem && AutoReplyDetector.IsAutoReply(message))
        {
            var replier = message.From.Mailboxes.FirstOrDefault()?.Address;
            return new FeedbackReport([new RecipientFeedback(replier is null ? null : Addresses.Normalize(replier), null, FeedbackKind.Autoreply)], returnPath);
        }

        if (fromMailSystem || (!BounceTextReader.IsPersonsReply(message) && BounceTextReader.HasBounceWording(text)))
        {
            return new FeedbackReport(BounceTextReader.Read(message, text, original, limits), returnPath);
        }

        return new FeedbackReport([], returnPath);
    }

    private byte[]? ReadBounded(Stream input)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = input.Read(chunk)) > 0)
        {
            if (buffer.Length + read > limits.MaxMessageBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
