namespace RelaySigner.Core.Signing;

/// <summary>
/// Outcome of signing: the DKIM-Signature header(s) to put in front of the received bytes, the bytes relayed
/// unsigned by a domain's policy, or the reply that refuses the message. The headers and the message are kept
/// apart so that a large message is not copied once more only to join them: the queue stores the two in a row.
/// </summary>
public sealed record SigningResult
{
    private SigningResult(ReadOnlyMemory<byte> signatureHeaders, ReadOnlyMemory<byte> message, string? domain, SmtpReply? refusal,
        string? messageId = null, IReadOnlyList<RecipientCopy>? copies = null)
    {
        Copies = copies;
        MessageId = messageId;
        SignatureHeaders = signatureHeaders;
        Message = message;
        SigningDomain = domain;
        Refusal = refusal;
    }

    /// <summary>The DKIM-Signature header(s), each ending with CRLF; empty when refused or relayed unsigned.</summary>
    public ReadOnlyMemory<byte> SignatureHeaders { get; }

    /// <summary>The received bytes, unchanged and not copied; empty when refused.</summary>
    public ReadOnlyMemory<byte> Message { get; }

    /// <summary>
    /// The bytes to queue in one array: <see cref="SignatureHeaders"/> followed by <see cref="Message"/>; null when
    /// refused. Each call joins them into a new array. For a message signed per recipient, see <see cref="Copies"/>.
    /// </summary>
    public byte[]? SignedMessage => Refusal is null ? [.. SignatureHeaders.Span, .. Message.Span] : null;

    /// <summary>The d= of the signature(s); null when refused or relayed unsigned.</summary>
    public string? SigningDomain { get; }

    public SmtpReply? Refusal { get; }

    /// <summary>The Message-ID header value the signer parsed anyway (for the message's history); null when absent.</summary>
    public string? MessageId { get; }

    /// <summary>The header From domain (lower-case A-labels) signing found; null when refused.</summary>
    public string? FromDomain { get; init; }

    /// <summary>The organisational domain of <see cref="FromDomain"/>: whose suppression list applies to the message.</summary>
    public string? FromOrganizationalDomain { get; init; }

    /// <summary>
    /// When the message was signed per recipient (bulk mail that got an unsubscribe link for each), one copy per
    /// recipient, each queued as a message of its own; <see cref="SignatureHeaders"/> is then empty. Null otherwise.
    /// </summary>
    public IReadOnlyList<RecipientCopy>? Copies { get; }

    /// <summary>True when the message goes out without a signature because its From domain is configured for that.</summary>
    public bool IsUnsigned => Refusal is null && SigningDomain is null;

    public static SigningResult Signed(ReadOnlyMemory<byte> signatureHeaders, ReadOnlyMemory<byte> message, string domain,
        string? messageId = null) =>
        new(signatureHeaders, message, domain, null, messageId);

    public static SigningResult SignedPerRecipient(IReadOnlyList<RecipientCopy> copies, ReadOnlyMemory<byte> message, string domain,
        string? messageId = null) =>
        new(ReadOnlyMemory<byte>.Empty, message, domain, null, messageId, copies);

    public static SigningResult Unsigned(ReadOnlyMemory<byte> message, string? messageId = null) =>
        new(ReadOnlyMemory<byte>.Empty, message, null, null, messageId);

    public static SigningResult Refused(SmtpReply reply) => new(ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty, null, reply);
}
