using System.Text.RegularExpressions;
using MimeKit;

namespace RelaySigner.Feedback.Parsing;

/// <summary>
/// RFC 3834 automatic replies and their older spellings: Auto-Submitted other than "no", X-Autoreply, X-Autorespond,
/// Precedence: auto_reply, and the subjects vacation and out-of-office replies use in the common languages. A read
/// receipt (RFC 8098 disposition notification) is one too.
/// </summary>
internal static partial class AutoReplyDetector
{
    [GeneratedRegex(@"^\s*(?:auto(?:matic)?[ -]?(?:reply|response|antwort)|auto:|out of (?:the )?office|vacation|on vacation|away from|on leave|abwesenheit|automatische antwort|r[ée]ponse automatique|absence|respuesta autom[áa]tica|risposta automatica|fuera de la oficina|automatisch antwoord|afwezig|i am (?:currently )?out|i'm (?:currently )?out|thank you for (?:your (?:e-?mail|message)|contacting))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AutoReplySubject();

    public static bool IsAutoReply(MimeMessage message)
    {
        var headers = message.Headers;
        var autoSubmitted = headers[HeaderId.AutoSubmitted];
        if (!string.IsNullOrWhiteSpace(autoSubmitted) && !autoSubmitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (headers.Contains("X-Autoreply") || headers.Contains("X-Autorespond") || headers.Contains("X-Autoresponder"))
        {
            return true;
        }

        var precedence = headers[HeaderId.Precedence]?.Trim();
        if (string.Equals(precedence, "auto_reply", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return message.Body is MultipartReport report && string.Equals(report.ReportType, "disposition-notification", StringComparison.OrdinalIgnoreCase)
            || AutoReplySubject().IsMatch(message.Subject ?? "");
    }
}
