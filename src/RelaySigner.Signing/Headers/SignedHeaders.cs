namespace RelaySigner.Signing.Headers;

/// <summary>
/// The h= list of a message. Each name is listed once more than the message has that header ("oversigning",
/// RFC 6376 §8.15): a verifier then hashes an empty value for the extra entry, so a copy added in transit — a
/// second From, Subject or List-Unsubscribe above the signed one — breaks the signature. Names absent from the
/// message are listed once for the same reason. Never <c>l=</c>: MimeKit does not write one.
/// </summary>
public static class SignedHeaders
{
    /// <summary>The header fields every signature covers (the list; From first, as RFC 6376 requires it).</summary>
    public static readonly IReadOnlyList<string> Default =
    [
        "From", "Reply-To", "Subject", "Date", "Message-ID", "To", "Cc", "MIME-Version", "Content-Type",
        "Content-Transfer-Encoding", "In-Reply-To", "References", "List-Id", "List-Unsubscribe",
        "List-Unsubscribe-Post", "Feedback-ID",
    ];

    /// <summary>
    /// Fields that must never be signed: trace fields added by every hop (Received, Return-Path), Bcc (removed
    /// before delivery) and signatures themselves. MimeKit refuses them as well.
    /// </summary>
    public static readonly IReadOnlySet<string> Forbidden = new HashSet<string>(
        ["Received", "Return-Path", "Bcc", "Resent-Bcc", "DKIM-Signature", "Comments", "Keywords", "ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The names to sign, lower case, each listed <see cref="HeaderFieldNames.Count"/> + 1 times.</summary>
    /// <param name="fieldCounts">Occurrences of each field name in the message (case-insensitive).</param>
    public static List<string> For(IReadOnlyDictionary<string, int> fieldCounts, IReadOnlyList<string> extra)
    {
        var names = new List<string>();
        foreach (var name in Default.Concat(extra).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var present = fieldCounts.GetValueOrDefault(name);
            var lower = name.ToLowerInvariant();
            for (var i = 0; i <= present; i++)
            {
                names.Add(lower);
            }
        }

        return names;
    }
}
