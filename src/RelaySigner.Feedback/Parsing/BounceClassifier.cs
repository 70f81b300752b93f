using System.Text.RegularExpressions;

namespace RelaySigner.Feedback.Parsing;

/// <summary>
/// Decides hard / soft / block from an enhanced status code and the receiver's words. A specific code wins (RFC 3463
/// subjects: x.1.x addressing, x.2.x mailbox, x.4.x routing, x.7.x security/policy); a vague one (x.0.0, x.5.x, x.6.x…)
/// leaves it to the text. When in doubt the answer is never one that suppresses: a wrongly suppressed recipient is
/// lost for good, a missed hard bounce only costs another try.
/// </summary>
internal static partial class BounceClassifier
{
    // The recipient exists and the sender is the problem. Checked before the hard phrases: "blocked ... unknown" reads as a block.
    [GeneratedRegex(@"spamhaus|spamcop|barracuda|sorbs|\bs?rbl\b|dnsbl|black\s?list|block\s?list|blocked|\bspam|unsolicited|policy|reputation|not (?:been )?authori[sz]ed|not permitted|denied by|refused by|rejected for|content rejected|bulk mail|dmarc|\bspf\b|dkim|authenticat|rate.?limit|refused to talk to me|too many (?:messages|connections)|poor reputation|(?<!not )listed (?:at|in|on)|junk mail|blacklisted|prohibited|security reasons|suspicious", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BlockPhrases();

    [GeneratedRegex(@"user unknown|unknown user|unknown recipient|recipient unknown|no such (?:user|mailbox|recipient|address|account|person|domain)|(?:user|recipient|mailbox|address|account|e-?mail account|domain) (?:was )?not found|(?:mailbox|address|user|account|recipient) (?:does not|doesn't|do not|did not) exist|does not exist|doesn't exist|not exist|recip(?:ient)?notfound|couldn't be found|could not be found|address not found|invalid (?:recipient|mailbox|address|user)|not a valid (?:mailbox|user|recipient|address)|unrouteable address|unroutable address|host unknown|host or domain name not found|domain (?:name )?not found|nonexistent domain|non-existent (?:domain|host|user)|has moved|no longer (?:available|active|valid|with|in use)|no mailbox|mailbox unavailable|mailbox (?:is )?(?:disabled|inactive)|account (?:has been |is )?(?:disabled|deactivated|inactive|closed|suspended)|is disabled|doesn't have an? [\w.]+ account|not listed in|no valid recipients|not our customer|unknown (?:local|address|mailbox)|addressee unknown|account expired|bad destination mailbox", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HardPhrases();

    [GeneratedRegex(@"mailbox (?:is )?full|full mailbox|quota|storage|insufficient|over ?limit|too many|temporar|try (?:again )?later|timed? ?out|expired|retry (?:time|timeout)|delivery time|could not be delivered within|delayed|delay|greylist|graylist|deferred|will (?:retry|be retried|keep trying)|not yet been delivered|has been failing|connection (?:refused|reset|lost)|service (?:not )?(?:available|unavailable)|resources", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SoftPhrases();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Whitespace();

    /// <param name="status">The enhanced status code, if any.</param>
    /// <param name="text">The receiver's words for this recipient (diagnostic, transcript, explanation).</param>
    /// <param name="temporary">The report itself says the failure is temporary (Action: delayed, "will retry").</param>
    public static FeedbackKind Classify(string? status, string? text, bool temporary = false)
    {
        // MTAs wrap the receiver's reply at any space ("refused to talk to\n    me"): phrases are matched on one line.
        text = Whitespace().Replace(text ?? "", " ");
        var byCode = FromCode(status);
        if (byCode is not null)
        {
            return byCode.Value;
        }

        if (temporary || status?[0] == '4' || (status is null && EnhancedStatus.FindReplyClass(text) == '4'))
        {
            return BlockPhrases().IsMatch(text) ? FeedbackKind.Block : FeedbackKind.Soft;
        }

        return BlockPhrases().IsMatch(text) ? FeedbackKind.Block
            : HardPhrases().IsMatch(text) ? FeedbackKind.Hard
            : SoftPhrases().IsMatch(text) ? FeedbackKind.Soft
            : FeedbackKind.Unknown;
    }

    private static FeedbackKind? FromCode(string? status)
    {
        if (status is null)
        {
            return null;
        }

        var parts = status.Split('.');
        var (klass, subject, detail) = (parts[0], parts[1], parts[2]);
        if (subject == "7")
        {
            return FeedbackKind.Block;
        }

        if (klass == "4")
        {
            return FeedbackKind.Soft;
        }

        return (subject, detail) switch
        {
            // bad mailbox, bad system, bad syntax, has moved, recipient not found (Exchange's 5.1.10)
            ("1", "1" or "2" or "3" or "6" or "10") => FeedbackKind.Hard,
            // the sender's address is the problem, not the recipient's
            ("1", "7" or "8") => FeedbackKind.Block,
            // mailbox disabled
            ("2", "1") => FeedbackKind.Hard,
            // mailbox full, message too large for it: the person exists and may make room
            ("2", "2" or "3") => FeedbackKind.Soft,
            // Exchange Online answers 5.4.1 "Recipient address rejected: Access denied" for an address its directory lacks
            ("4", "1") => FeedbackKind.Hard,
            // unable to route: the domain has no mail host
            ("4", "4") => FeedbackKind.Hard,
            // routing loop, hop count, congestion, delivery time expired: the network, not the address
            ("4", _) => FeedbackKind.Soft,
            _ => null,
        };
    }
}
