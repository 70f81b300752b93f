namespace RelaySigner.Core;

/// <summary>The SMTP envelope of one accepted message: the reverse path and the forward paths.</summary>
/// <param name="Sender">MAIL FROM address; empty for the null reverse path <c>&lt;&gt;</c>.</param>
/// <param name="Recipients">RCPT TO addresses, in the order the client gave them.</param>
/// <param name="MessageId">The message's Message-ID header value (without angle brackets, at most
/// <see cref="MaxMessageIdLength"/> characters), noted at intake so its history can be found by it; null when it has none.
/// The only header the queue keeps apart from the content: never the Subject.</param>
/// <param name="Dsn">The DSN parameters the client gave (RFC 3461), null when it gave none.</param>
/// <param name="FromDomain">The header From domain (lower-case A-labels) as signing found it: the From domain of the
/// message's events. Null when unknown (a message the relay wrote itself).</param>
/// <param name="FromOrganizationalDomain">The organisational domain of <paramref name="FromDomain"/> (RFC 7489 §3.2):
/// whose suppression list and feedback counts the message's outcomes go to. Null when unknown.</param>
public sealed record Envelope(
    string Sender,
    IReadOnlyList<string> Recipients,
    string? MessageId = null,
    Dsn.DsnRequest? Dsn = null,
    string? FromDomain = null,
    string? FromOrganizationalDomain = null)
{
    /// <summary>Longer Message-IDs are cut: the history is searched by it, not a store of arbitrary header text.</summary>
    public const int MaxMessageIdLength = 250;

    /// <summary>A Message-ID as the queue keeps it: without angle brackets and surrounding space, bounded; null when empty.</summary>
    public static string? NormalizeMessageId(string? value)
    {
        var trimmed = value?.Trim().Trim('<', '>').Trim();
        return string.IsNullOrEmpty(trimmed) ? null
            : trimmed.Length > MaxMessageIdLength ? trimmed[..MaxMessageIdLength] : trimmed;
    }
}
