using System.Globalization;
using System.Text;
using RelaySigner.Dmarc.Reports;

namespace RelaySigner.Cli;

/// <summary>The people's view of a report summary: per domain, then per source.</summary>
internal static class DmarcReportTable
{
    public static string Render(ReportSummary summary)
    {
        if (summary.Reports == 0)
        {
            return "no reports read";
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{summary.Reports} report(s), {summary.Begin:yyyy-MM-dd} to {summary.End:yyyy-MM-dd}");
        text.AppendLine();
        AppendTable(
            text,
            ["domain", "policy", "messages", "dmarc pass", "from relay", "relay dkim aligned"],
            summary.Domains.Select(d => new[]
            {
                d.Domain, d.PublishedPolicy, Count(d.Messages), Share(d.DmarcPass, d.Messages), Count(d.FromKnownSources), Share(d.DkimAlignedFromKnownSources, d.FromKnownSources),
            }));
        text.AppendLine();
        AppendTable(
            text,
            ["reporter", "domain", "source ip", "source", "messages", "dkim aligned", "spf aligned", "dmarc pass", "disposition"],
            summary.Sources.Select(s => new[]
            {
                s.OrgName, s.Domain, s.SourceIp.ToString(), s.KnownSource ? "relay" : s.Suspicious ? "UNKNOWN" : "unknown", Count(s.Messages),
                Share(s.DkimAligned, s.Messages), Share(s.SpfAligned, s.Messages), Share(s.DmarcPass, s.Messages),
                string.Join(" ", s.Dispositions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")),
            }));

        if (summary.Sources.Any(s => s.Suspicious))
        {
            text.AppendLine();
            text.AppendLine("UNKNOWN: mail failing DMARC from an address that is not this relay's (spoofing, or a sender to bring under the relay).");
        }

        return text.ToString().TrimEnd();
    }

    private static void AppendTable(StringBuilder text, string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, column) => all.Max(row => row[column].Length)).ToArray();
        foreach (var row in all)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Share(long part, long whole) =>
        whole == 0 ? "-" : $"{part} ({(double)part / whole:P0})";
}
