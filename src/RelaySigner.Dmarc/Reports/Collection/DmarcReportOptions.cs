namespace RelaySigner.Dmarc.Reports.Collection;

/// <summary>How DMARC aggregate reports reach the relay by themselves: <c>Relay:Dmarc:…</c>.</summary>
public sealed class DmarcReportOptions
{
    public const string SectionName = "Relay:Dmarc";

    /// <summary>
    /// The <c>rua</c> mailboxes the inbound listener takes mail for (e.g. <c>dmarc@example.com</c>): each message's
    /// report attachments go into the report store and the message itself is not kept. Default none.
    /// </summary>
    public List<string> ReportAddresses { get; set; } = [];

    /// <summary>A mailbox the relay polls for report mail; off while <see cref="DmarcImapOptions.Host"/> is empty.</summary>
    public DmarcImapOptions Imap { get; set; } = new();
}
