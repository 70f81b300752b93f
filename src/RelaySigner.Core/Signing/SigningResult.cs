namespace RelaySigner.Core.Signing;

/// <summary>Outcome of signing: the signed bytes, the bytes relayed unsigned by a domain's policy, or the reply that refuses the message.</summary>
public sealed record SigningResult
{
    private SigningResult(byte[]? signedMessage, string? domain, SmtpReply? refusal)
    {
        SignedMessage = signedMessage;
        SigningDomain = domain;
        Refusal = refusal;
    }

    /// <summary>The bytes to queue: the received bytes with the DKIM-Signature header(s) prepended (or none, when unsigned).</summary>
    public byte[]? SignedMessage { get; }

    /// <summary>The d= of the signature(s); null when refused or relayed unsigned.</summary>
    public string? SigningDomain { get; }

    public SmtpReply? Refusal { get; }

    /// <summary>True when the message goes out without a signature because its From domain is configured for that.</summary>
    public bool IsUnsigned => SignedMessage is not null && SigningDomain is null;

    public static SigningResult Signed(byte[] signedMessage, string domain) => new(signedMessage, domain, null);

    public static SigningResult Unsigned(byte[] message) => new(message, null, null);

    public static SigningResult Refused(SmtpReply reply) => new(null, null, reply);
}
