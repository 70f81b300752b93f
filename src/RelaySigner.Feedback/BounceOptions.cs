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
}
