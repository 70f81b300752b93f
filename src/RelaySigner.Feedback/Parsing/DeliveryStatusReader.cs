using MimeKit;

namespace RelaySigner.Feedback.Parsing;

/// <summary>
/// RFC 3464 delivery-status reports (and RFC 6533's message/global-delivery-status): one group of fields per
/// recipient, the recipient from Original-Recipient (the address as sent) or Final-Recipient, the code from Status or,
/// when Status is vague, from Diagnostic-Code; the words from Diagnostic-Code and the human-readable part.
/// </summary>
internal static class DeliveryStatusReader
{
    public static List<RecipientFeedback> Read(MimeMessage message, BounceText text, FeedbackLimits limits)
    {
        var results = new List<RecipientFeedback>();
        var part = ReportParts.Find(message.Body, type => type.MediaSubtype.EndsWith("delivery-status", StringComparison.OrdinalIgnoreCase), limits);
        if (part is null)
        {
            return results;
        }

        var groups = ReportFields.Parse(ReportFields.ContentText(part, limits.MaxTextChars))
            .Where(group => group.Get("Final-Recipient") is not null || group.Get("Original-Recipient") is not null)
            .Take(limits.MaxRecipients)
            .ToList();
        var recipients = groups.Select(Recipient).ToList();
        var segments = RecipientSegments.Split(text.Explanation, recipients.OfType<string>().ToList());
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            var action = group.Get("Action")?.Trim().ToLowerInvariant() ?? "failed";
            var diagnostic = Diagnostic(group.Get("Diagnostic-Code"));
            var status = EnhancedStatus.MoreSpecific(EnhancedStatus.FromField(group.Get("Status")), EnhancedStatus.FindInText(diagnostic));
            var kind = action is "delivered" or "relayed" or "expanded"
                ? FeedbackKind.Unknown
                : BounceClassifier.Classify(status, diagnostic + "\n" + segments.GetValueOrDefault(recipients[i] ?? ""), temporary: action == "delayed");
            results.Add(new RecipientFeedback(recipients[i], status, kind));
        }

        return results;
    }

    private static string? Recipient(List<KeyValuePair<string, string>> group) =>
        Addresses.FromField(group.Get("Original-Recipient")) ?? Addresses.FromField(group.Get("Final-Recipient"));

    /// <summary>The text after the diagnostic type: <c>smtp; 550 5.1.1 …</c> → <c>550 5.1.1 …</c>.</summary>
    private static string Diagnostic(string? value)
    {
        if (value is null)
        {
            return "";
        }

        var semicolon = value.IndexOf(';');
        return semicolon is > 0 and < 16 ? value[(semicolon + 1)..].Trim() : value.Trim();
    }
}
