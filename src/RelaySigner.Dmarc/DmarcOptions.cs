namespace RelaySigner.Dmarc;

/// <summary>DMARC settings of the relay, bound from <c>Relay:Dmarc</c>.</summary>
public sealed class DmarcOptions
{
    public const string SectionName = "Relay:Dmarc";

    /// <summary>
    /// Senders of the domains' mail other than this relay (a newsletter service, a CRM, another MTA), by name: the
    /// dashboard shows their volume apart from unknown sources, and their aligned mail counts towards the rollout.
    /// Default: none.
    /// </summary>
    public List<KnownSourceOptions> KnownSources { get; set; } = [];
}
