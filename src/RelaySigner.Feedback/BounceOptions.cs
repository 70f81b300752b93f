namespace RelaySigner.Feedback;

/// <summary>Settings of the way back: <c>Relay:Bounces:…</c>.</summary>
public sealed class BounceOptions
{
    public const string SectionName = "Relay:Bounces";

    /// <summary>
    /// The key file that MACs the VERP tokens of Return-Paths (32 random bytes), relative to the content root.
    /// Created with mode 0600 when it does not exist; every node of a cluster must read the same file. Default
    /// <c>data/bounce-secret.key</c>, beside the queue.
    /// </summary>
    public string SecretPath { get; set; } = "data/bounce-secret.key";

    /// <summary>
    /// Addresses receivers send complaints (ARF) to, besides the return-path domains, e.g. <c>fbl@example.com</c>
    /// registered at a provider's feedback loop. Default none.
    /// </summary>
    public List<string> FeedbackAddresses { get; set; } = [];

    /// <summary>
    /// When the Return-Path is rewritten (VERP), a hard bounce that comes back later is also sent on to the client's
    /// own envelope sender as the relay's delivery status notification (RFC 3464), so applications that read their
    /// bounce mail keep working. Never for a message from <c>&lt;&gt;</c>. Default true.
    /// </summary>
    public bool ForwardToSender { get; set; } = true;
}
