namespace RelaySigner.Dmarc;

/// <summary>DMARC settings of the relay, bound from <c>Relay:Dmarc</c>: the known senders the dashboard tells apart, and
/// how aggregate reports reach the relay by themselves.</summary>
public sealed class DmarcOptions
{
    public const string SectionName = "Relay:Dmarc";

    /// <summary>
    /// Senders of the domains' mail other than this relay (a newsletter service, a CRM, another MTA), by name: the
    /// dashboard shows their volume apart from unknown sources, and their aligned mail counts towards the rollout.
    /// Default: none.
    /// </summary>
    public List<KnownSourceOptions> KnownSources { get; set; } = [];

    /// <summary>
    /// The <c>rua</c> mailboxes the inbound listener takes mail for (e.g. <c>dmarc@example.com</c>): each message's
    /// report attachments go into the report store and the message itself is not kept. Default none.
    /// </summary>
    public List<string> ReportAddresses { get; set; } = [];

    /// <summary>A mailbox the relay polls for report mail; off while <see cref="Reports.Collection.DmarcImapOptions.Host"/> is empty.</summary>
    public Reports.Collection.DmarcImapOptions Imap { get; set; } = new();
}
