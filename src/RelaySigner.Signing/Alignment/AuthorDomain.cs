using System.Globalization;
using MimeKit;
using RelaySigner.Core;

namespace RelaySigner.Signing.Alignment;

/// <summary>
/// Finds the one author domain that DMARC aligns with (RFC 7489 §6.6.1). A message with no From, several From
/// headers or several mailboxes in From is refused: receivers disagree on which one DMARC checks, a known way to
/// get a signature for a spoofed From. So is a From whose mailbox some reader could see differently
/// (<see cref="FromFieldParser"/>): what a receiver shows must be what the relay checked.
/// </summary>
public static class AuthorDomain
{
    public static readonly SmtpReply NoFrom = new(550, "5.6.0", "message has no From header");
    public static readonly SmtpReply SeveralFromHeaders = new(550, "5.6.0", "message has more than one From header");
    public static readonly SmtpReply SeveralMailboxes = new(550, "5.6.0", "From header must hold exactly one mailbox");
    public static readonly SmtpReply Unparseable = new(550, "5.6.0", "From header has no valid address");

    /// <summary>A From that mail parsers read differently; <paramref name="reason"/> names the construct, never the header's text.</summary>
    public static SmtpReply Ambiguous(string reason) =>
        new(550, "5.6.0", $"From header is ambiguous ({reason}); write it as address or as Name <address>");

    /// <returns>The From domain, lower case, or the refusal.</returns>
    public static (string? Domain, SmtpReply? Refusal) Find(MimeMessage message)
    {
        var fromHeaders = message.Headers.Where(h => h.Id == HeaderId.From).Take(2).ToList();
        if (fromHeaders.Count != 1)
        {
            return (null, fromHeaders.Count == 0 ? NoFrom : SeveralFromHeaders);
        }

        var (domain, refusal) = FromFieldParser.Parse(fromHeaders[0].RawValue);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        var ascii = AsciiForm(domain!);
        if (ascii is null)
        {
            return (null, Unparseable); // not a valid (internationalised) domain name: no key can match it
        }

        // Belt and braces: MimeKit's reading must be the same one mailbox (MimeKit shows an A-label domain as Unicode).
        if (message.From is not [MailboxAddress { Route.Count: 0 } mailbox] || AsciiForm(mailbox.Domain) != ascii)
        {
            return (null, Ambiguous("MimeKit reads another mailbox"));
        }

        return (ascii, null);
    }

    /// <summary>The domain in lower-case ASCII (A-labels), or null when it is not a valid (internationalised) domain name.</summary>
    private static string? AsciiForm(string domain)
    {
        try
        {
            // The BCL's mapping throws on names that are not valid IDNs; MimeKit's falls back to the Unicode text.
            return new IdnMapping().GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
