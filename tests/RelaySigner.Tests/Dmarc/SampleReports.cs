using System.IO.Compression;
using System.Text;

namespace RelaySigner.Tests.Dmarc;

/// <summary>Aggregate reports written for the tests, in the shapes reporters send them.</summary>
internal static class SampleReports
{
    public static string Xml(string org = "google.com", string id = "17431", string domain = "example.com", string policy = "none", string rows = "") =>
        $"""
        <?xml version="1.0" encoding="UTF-8" ?>
        <feedback>
          <report_metadata>
            <org_name>{org}</org_name>
            <email>noreply-dmarc-support@{org}</email>
            <report_id>{id}</report_id>
            <date_range><begin>1795824000</begin><end>1795910399</end></date_range>
          </report_metadata>
          <policy_published>
            <domain>{domain}</domain><adkim>r</adkim><aspf>r</aspf><p>{policy}</p><sp>{policy}</sp><pct>100</pct>
          </policy_published>
          {(rows.Length > 0 ? rows : Row("192.0.2.10", 40, "pass", "fail") + Row("203.0.113.66", 3, "fail", "fail"))}
        </feedback>
        """;

    public static string Row(string ip, long count, string dkim, string spf, string disposition = "none", string headerFrom = "example.com") =>
        $"""
          <record>
            <row>
              <source_ip>{ip}</source_ip><count>{count}</count>
              <policy_evaluated><disposition>{disposition}</disposition><dkim>{dkim}</dkim><spf>{spf}</spf></policy_evaluated>
            </row>
            <identifiers><header_from>{headerFrom}</header_from></identifiers>
            <auth_results>
              <dkim><domain>{headerFrom}</domain><selector>s2026</selector><result>{dkim}</result></dkim>
              <spf><domain>bounce.{headerFrom}</domain><result>{spf}</result></spf>
            </auth_results>
          </record>
        """;

    public static byte[] Gzip(string xml)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(xml));
        }

        return output.ToArray();
    }

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(content);
            }
        }

        return output.ToArray();
    }

    /// <summary>The mail a reporter sends: a short text part and the zipped report as a base64 attachment.</summary>
    public static byte[] Mail(byte[] attachment, string fileName) =>
        Encoding.ASCII.GetBytes(
            "From: noreply-dmarc-support@google.com\r\nTo: dmarc@example.com\r\nSubject: Report domain: example.com\r\n" +
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
            "--b1\r\nContent-Type: text/plain\r\n\r\nThis is an aggregate report.\r\n" +
            $"--b1\r\nContent-Type: application/zip\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"{fileName}\"\r\n\r\n" +
            Convert.ToBase64String(attachment, Base64FormattingOptions.InsertLineBreaks).Replace("\n", "\r\n").Replace("\r\r\n", "\r\n") + "\r\n--b1--\r\n");
}
