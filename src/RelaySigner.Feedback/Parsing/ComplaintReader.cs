using MimeKit;

namespace RelaySigner.Feedback.Parsing;

/// <summary>
/// RFC 5965 feedback reports (ARF). Every feedback type is a complaint about the recipient's mail except
/// <c>auth-failure</c> (RFC 6591: a DMARC/SPF/DKIM failure report, about the sending domain) and <c>not-spam</c>.
/// The recipient is Original-Rcpt-To, or Removal-Recipient, or the To of the attached message when it names one
/// address; providers that redact it leave the VERP token in the attached Return-Path as the only way back.
/// </summary>
internal static class ComplaintReader
{
    public static FeedbackReport? Read(MimeMessage message, HeaderList? original, FeedbackLimits limits)
    {
        var part = ReportParts.Find(message.Body, type => type.IsMimeType("message", "feedback-report"), limits);
        if (part is null)
        {
            return null;
        }

        var fields = ReportFields.Parse(ReportFields.ContentText(part, limits.MaxTextChars)).SelectMany(group => group).ToList();
        var type = fields.Get("Feedback-Type")?.Trim().ToLowerInvariant();
        var kind = type switch
        {
            "auth-failure" => FeedbackKind.AuthFailure,
            "not-spam" => FeedbackKind.Unknown,
            _ => FeedbackKind.Complaint,
        };

        var recipients = Named(fields, "Original-Rcpt-To");
        if (recipients.Count == 0)
        {
            recipients = Named(fields, "Removal-Recipient");
        }

        if (recipients.Count == 0 && original is not null && Addresses.FromHeader(original, HeaderId.To) is [var only])
        {
            recipients = [only];
        }

        var returnPath = (original is null ? null : Addresses.FromHeader(original, HeaderId.ReturnPath).FirstOrDefault())
            ?? Addresses.FromField(fields.Get("Original-Mail-From"));
        var rows = recipients.Count == 0
            ? [new RecipientFeedback(null, null, kind)]
            : recipients.Take(limits.MaxRecipients).Select(recipient => new RecipientFeedback(recipient, null, kind)).ToList();
        return new FeedbackReport(rows, returnPath);
    }

    private static List<string> Named(List<KeyValuePair<string, string>> fields, string name) =>
        fields.Where(field => field.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(field => Addresses.FromField(field.Value))
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
}
