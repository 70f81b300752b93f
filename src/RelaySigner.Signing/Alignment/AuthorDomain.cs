using System.Globalization;
using MimeKit;
using RelaySigner.Core;

namespace RelaySigner.Signing.Alignment;

/// <summary>
/// Finds the one author domain that DMARC aligns with (RFC 7489 §6.6.1). A message with no From, several From
/// headers or several mailboxes in From is refused: receivers disagree on which one DMARC checks, a known way to
/// get a signature for a spoofed From.
/// </summary>
public static class AuthorDomain
{
    public static readonly SmtpReply NoFrom = new(550, "5.6.0", "message has no From header");
    public static readonly SmtpReply SeveralFromHeaders = new(550, "5.6.0", "message has more than one From header");
    public static readonly SmtpReply SeveralMailboxes = new(550, "5.6.0", "From header must hold exactly one mailbox");
    public static readonly SmtpReply Unparseable = new(550, "5.6.0", "From header has no valid address");

    /// <returns>The From domain, lower case, or the refusal.</returns>
    public static (string? Domain, SmtpReply? Refusal) Find(MimeMessage message)
    {
        var fromHeaders = message.Headers.Count(h => h.Id == HeaderId.From);
        if (fromHeaders == 0)
        {
            return (null, NoFrom);
        }

        if (fromHeaders > 1)
        {
            return (null, SeveralFromHeaders);
        }

        if (message.From.Count != 1 || message.From[0] is not MailboxAddress mailbox)
        {
            return (null, message.From.Count == 0 ? Unparseable : SeveralMailboxes);
        }

        var domain = mailbox.Domain?.Trim();
        if (string.IsNullOrEmpty(domain) || !mailbox.Address.Contains('@'))
        {
            return (null, Unparseable);
        }

        try
        {
            // The BCL's mapping throws on names that are not valid IDNs; MimeKit's falls back to the Unicode text.
            return (new IdnMapping().GetAscii(domain).ToLowerInvariant(), null);
        }
        catch (ArgumentException)
        {
            return (null, Unparseable); // not a valid (internationalised) domain name: no key can match it
        }
    }
}
