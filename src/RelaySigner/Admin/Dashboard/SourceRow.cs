using System.Net;
using RelaySigner.Dmarc.Reports.Store;

namespace RelaySigner.Admin.Dashboard;

/// <summary>One line of a domain's sources table: what one reporter saw from one address, and who that address is.</summary>
public sealed record SourceRow(string Reporter, IPAddress SourceIp, SourceKind Kind, string? SenderName, ReportTotals Totals)
{
    /// <summary>Mail failing DMARC from an address nobody configured: a spoofer, or a sender to bring under the relay.</summary>
    public bool UnknownAndFailing => Kind == SourceKind.Unknown && Totals.DmarcPass < Totals.Messages;
}
