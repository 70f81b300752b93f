namespace RelaySigner.Core.Dsn;

/// <summary>
/// The DSN parameters of one message (RFC 3461): RET and ENVID from MAIL FROM, NOTIFY and ORCPT per recipient. A
/// message without any has none at all (null), so the common case costs nothing beyond NULL columns.
/// </summary>
/// <param name="Return">RET; null when the client gave none.</param>
/// <param name="EnvelopeId">ENVID decoded from xtext (printable US-ASCII only, checked at intake); null when none.</param>
/// <param name="Recipients">NOTIFY/ORCPT by recipient address (as in the envelope), only for recipients that gave any.</param>
public sealed record DsnRequest(DsnReturn? Return, string? EnvelopeId, IReadOnlyDictionary<string, RecipientDsn> Recipients)
{
    /// <summary>RFC 3461 §4.4: an ENVID is at most 100 characters (xtext-encoded, as the client sent it).</summary>
    public const int MaxEnvelopeIdLength = 100;

    /// <summary>RFC 3461 §4.2: an ORCPT value is at most 500 characters (xtext-encoded, as the client sent it).</summary>
    public const int MaxOriginalRecipientLength = 500;

    /// <summary>The parameters given for <paramref name="recipient"/>, or null.</summary>
    public RecipientDsn? For(string recipient) => Recipients.GetValueOrDefault(recipient);

    /// <summary>True when a notification of <paramref name="kind"/> goes to the sender for <paramref name="recipient"/>.</summary>
    public static bool Wants(DsnRequest? request, string recipient, DsnNotify kind) =>
        RecipientDsn.Wants(request?.For(recipient), kind);
}
