using System.Globalization;
using System.Text;

namespace RelaySigner.Benchmarks.Dmarc;

/// <summary>
/// Aggregate reports as reporters write them (RFC 7489 Appendix C XML), made up from a fixed seed: 5 domains, 20
/// reporters, 30 days, sources drawn from 5,000 addresses, so the sums have realistic fan-out rather than one row.
/// </summary>
internal static class SyntheticReports
{
    private static readonly string[] Domains = ["example.com", "example.org", "example.net", "shop.example", "news.example"];
    private static readonly string[] Dispositions = ["none", "none", "none", "quarantine", "reject"];

    public static byte[] Xml(int index, int records, Random random)
    {
        var begin = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddDays(index % 30).ToUnixTimeSeconds();
        var domain = Domains[index % Domains.Length];
        var xml = new StringBuilder(400 * records + 600);
        xml.Append(CultureInfo.InvariantCulture, $"""
            <?xml version="1.0" encoding="UTF-8" ?>
            <feedback>
              <report_metadata><org_name>reporter{index % 20}.example</org_name><email>dmarc@reporter.example</email>
                <report_id>{index}</report_id><date_range><begin>{begin}</begin><end>{begin + 86399}</end></date_range></report_metadata>
              <policy_published><domain>{domain}</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct></policy_published>
            """);
        for (var r = 0; r < records; r++)
        {
            var ip = random.Next(5000);
            var dkim = random.Next(10) < 8 ? "pass" : "fail";
            var spf = random.Next(10) < 6 ? "pass" : "fail";
            xml.Append(CultureInfo.InvariantCulture, $"""
                  <record><row><source_ip>198.18.{ip / 250}.{ip % 250 + 1}</source_ip><count>{random.Next(1, 1000)}</count>
                    <policy_evaluated><disposition>{Dispositions[random.Next(Dispositions.Length)]}</disposition><dkim>{dkim}</dkim><spf>{spf}</spf></policy_evaluated></row>
                    <identifiers><header_from>{domain}</header_from><envelope_from>bounce.{domain}</envelope_from></identifiers>
                    <auth_results><dkim><domain>{domain}</domain><selector>s2026</selector><result>{dkim}</result></dkim>
                      <spf><domain>bounce.{domain}</domain><result>{spf}</result></spf></auth_results></record>
                """);
        }

        xml.Append("</feedback>\n");
        return Encoding.UTF8.GetBytes(xml.ToString());
    }
}
