namespace RelaySigner.Core.Signing;

/// <summary>Outcome of signing: the signed bytes, or the reply that refuses the message.</summary>
public sealed record SigningResult
{
    private SigningResult(byte[]? signedMessage, string? domain, SmtpReply? refusal)
    {
        SignedMessage = signedMessage;
        SigningDomain = domain;
        Refusal = refusal;
    }

    public byte[]? SignedMessage { get; }

    /// <summary>The d= of the signature(s).</summary>
    public string? SigningDomain { get; }

    public SmtpReply? Refusal { get; }

    public static SigningResult Signed(byte[] signedMessage, string domain) => new(signedMessage, domain, null);

    public static SigningResult Refused(SmtpReply reply) => new(null, null, reply);
}
