using System.Text.RegularExpressions;
using MimeKit;

namespace RelaySigner.Feedback.Parsing;

/// <summary>
/// Bounces without a machine-readable report — qmail's "I'm afraid I wasn't able to deliver", Exim's "The following
/// address(es) failed", old Sendmail transcripts, Exchange's "Delivery has failed to these recipients", Yahoo's and
/// Gmail's own texts, and the human part of any report whose fields were lost. The recipients are the addresses the
/// text names, less the mail system's own, the bounce's own sender and recipients and the original sender; failing
/// that, the single To of the quoted original.
/// </summary>
internal static partial class BounceTextReader
{
    [GeneratedRegex(@"undeliver|undelivered|delivery status notification|failure notice|mail delivery (?:failed|failure|subsystem|system)|returned mail|delivery (?:failure|failed|has failed|problem|incomplete)|non-?deliver|could not be delivered|couldn't be delivered|wasn't delivered|not delivered|delivery notification|mail system error|warning: could not send|delayed mail|message delayed|delivery delayed|rejected|address not found|message blocked|unzustellbar|nicht zustellbar|non remis|non distribuable|no se puede entregar|no entregado|onbestelbaar|non recapitabile|n(?:ã|a)o entregue", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BounceSubject();

    [GeneratedRegex(@"could not be delivered|couldn't be delivered|wasn't delivered|was not delivered|delivery has failed|permanent error|qmail-send program|mail delivery software|following address(?:es|\(es\))? failed|unable to deliver|wasn't able to deliver|fatal errors|delivery to the following recipients? failed|has not yet been delivered|transcript of session|remote (?:host|server) (?:said|returned)|the response from the remote server", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BounceWording();

    [GeneratedRegex(@"has not yet been delivered|will (?:retry|be retried|keep trying|continue)|delivery (?:status notification \()?delay|delayed|temporar(?:y|ily) (?:error|failure|problem)|still trying|warning: could not send", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TemporaryWording();

    [GeneratedRegex(@"permanent|given up|giving up|fatal", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PermanentWording();

    [GeneratedRegex(@"message[- ]?id|in-reply-to|references:|^\s*(?:from|sender|return-path|reply-to|received|dkim-signature|x-[\w-]+):", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NotARecipientLine();

    // A person answering ("Re: your order was rejected") is not a bounce, whatever the words.
    [GeneratedRegex(@"^\s*(?:re|aw|sv|vs|antw|r[ée]f?)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HumanReply();

    /// <summary>Sent by the mail system, or titled like a bounce (and not a person's reply).</summary>
    public static bool IsFromMailSystem(MimeMessage message)
    {
        var from = message.From.Mailboxes.FirstOrDefault();
        return from is not null && (Addresses.IsSystem(from.Address.Contains('@') ? from.Address : from.Address + "@x")
                                    || from.Name?.Contains("Mail Delivery", StringComparison.OrdinalIgnoreCase) == true
                                    // Exchange's system mailbox, MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@…
                                    || from.Address.StartsWith("MicrosoftExchange", StringComparison.OrdinalIgnoreCase))
            || (BounceSubject().IsMatch(message.Subject ?? "") && !IsPersonsReply(message));
    }

    public static bool IsPersonsReply(MimeMessage message) => HumanReply().IsMatch(message.Subject ?? "");

    public static bool HasBounceWording(BounceText text) => BounceWording().IsMatch(text.Explanation);

    public static List<RecipientFeedback> Read(MimeMessage message, BounceText text, HeaderList? original, FeedbackLimits limits)
    {
        var own = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in new[] { HeaderId.From, HeaderId.To, HeaderId.Cc, HeaderId.ReplyTo, HeaderId.ReturnPath, HeaderId.Sender })
        {
            own.UnionWith(Addresses.FromHeader(message.Headers, id));
            if (original is not null && id is HeaderId.From or HeaderId.ReturnPath or HeaderId.Sender or HeaderId.ReplyTo)
            {
                own.UnionWith(Addresses.FromHeader(original, id));
            }
        }

        // Exim names the failed addresses in a header of its own: the surest source where it is present.
        var recipients = Addresses.FromHeader(message.Headers, "X-Failed-Recipients")
            .Where(address => !own.Contains(address)).Distinct(StringComparer.OrdinalIgnoreCase).Take(limits.MaxRecipients).ToList();
        if (recipients.Count == 0)
        {
            recipients = Mentioned(text.Explanation, own, limits);
        }

        if (recipients.Count == 0 && original is not null && Addresses.FromHeader(original, HeaderId.To) is [var only])
        {
            recipients.Add(only);
        }

        var whole = (message.Subject ?? "") + "\n" + text.Explanation;
        var temporary = TemporaryWording().IsMatch(whole) && !PermanentWording().IsMatch(whole);
        var segments = RecipientSegments.Split(text.Explanation, recipients);
        return recipients.Select(recipient =>
        {
            var words = segments.GetValueOrDefault(recipient) ?? text.Explanation;
            var status = EnhancedStatus.FindInText(words);
            return new RecipientFeedback(recipient, status, BounceClassifier.Classify(status, words, temporary));
        }).ToList();
    }

    /// <summary>
    /// The addresses the text names, in order. Where some stand at the start of a line, as every MTA lists its failed
    /// recipients ("&lt;a@b&gt;:", "  a@b", "#550 …" under "a@b"), those alone count: an address inside a sentence
    /// there is a contact ("ask postmaster@…", "contact tosa@…"), not a recipient.
    /// </summary>
    private static List<string> Mentioned(string explanation, HashSet<string> own, FeedbackLimits limits)
    {
        var found = new List<(string Address, bool AtLineStart)>();
        foreach (var line in explanation.Split('\n'))
        {
            if (NotARecipientLine().IsMatch(line))
            {
                continue;
            }

            foreach (Match match in Addresses.InText().Matches(line))
            {
                var address = Addresses.Normalize(match.Value.TrimEnd('.'));
                if (Addresses.IsSystem(address) || own.Contains(address) || found.Count >= limits.MaxRecipients)
                {
                    continue;
                }

                var atLineStart = line[..match.Index].Trim().TrimEnd('<').Length == 0;
                var known = found.FindIndex(f => f.Address.Equals(address, StringComparison.OrdinalIgnoreCase));
                if (known < 0)
                {
                    found.Add((address, atLineStart));
                }
                else if (atLineStart)
                {
                    found[known] = (found[known].Address, true);
                }
            }
        }

        var listed = found.Where(f => f.AtLineStart).ToList();
        return (listed.Count > 0 ? listed : found).Select(f => f.Address).ToList();
    }
}
