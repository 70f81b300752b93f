using System.Globalization;
using System.Net;
using System.Xml;
using System.Xml.Linq;

namespace RelaySigner.Dmarc.Reports;

/// <summary>
/// Parses the XML of an aggregate report (RFC 7489 Appendix C). Elements are matched by local name, so reports in
/// the later "urn:ietf:params:xml:ns:dmarc-2.0" namespace read the same. A DOCTYPE is refused outright: no DTD, no
/// entity expansion, no external entities (XXE). Every number is range-checked, so a hostile count fails its file
/// instead of overflowing a sum later.
/// </summary>
public static class AggregateReportParser
{
    public static AggregateReport Parse(Stream xml, string source, ReportLimits limits)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 0,
            MaxCharactersInDocument = limits.MaxXmlBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };

        XElement feedback;
        try
        {
            using var reader = XmlReader.Create(xml, settings);
            feedback = BoundedXmlLoader.LoadRoot(reader, limits.MaxXmlDepth, source);
        }
        catch (XmlException ex)
        {
            throw new InvalidReportException($"{source}: not well-formed report XML ({ex.Message})", ex);
        }

        if (feedback.Name.LocalName != "feedback")
        {
            throw new InvalidReportException($"{source}: root element is <{feedback.Name.LocalName}>, not <feedback>: not a DMARC aggregate report");
        }

        var metadata = Required(feedback, "report_metadata", source);
        var dateRange = Required(metadata, "date_range", source);
        var policy = Required(feedback, "policy_published", source);
        var records = feedback.Elements().Where(e => e.Name.LocalName == "record").ToList();
        if (records.Count > limits.MaxRecords)
        {
            throw new InvalidReportException($"{source}: more than {limits.MaxRecords} records; refusing it");
        }

        var rows = records.Select(r => ParseRecord(r, source, limits)).ToList();
        var total = 0L;
        foreach (var row in rows)
        {
            // Each count is at most the limit and the total stops at the first step past it: no overflow on the way.
            total += row.Count;
            if (total > limits.MaxMessagesPerReport)
            {
                throw new InvalidReportException($"{source}: counts more than {limits.MaxMessagesPerReport} messages in all; refusing it");
            }
        }

        return new AggregateReport(
            new ReportMetadata(
                Text(metadata, "org_name", source),
                Text(metadata, "report_id", source),
                UnixTime(dateRange, "begin", source),
                UnixTime(dateRange, "end", source)),
            new PublishedPolicy(
                Text(policy, "domain", source).ToLowerInvariant(),
                Text(policy, "p", source),
                OptionalText(policy, "sp"),
                OptionalText(policy, "pct") is null ? 100 : (int)WholeNumber(policy, "pct", source, 100),
                OptionalText(policy, "adkim") ?? "r",
                OptionalText(policy, "aspf") ?? "r"),
            rows);
    }

    private static ReportRecord ParseRecord(XElement record, string source, ReportLimits limits)
    {
        var row = Required(record, "row", source);
        var evaluated = Required(row, "policy_evaluated", source);
        var identifiers = Required(record, "identifiers", source);
        var auth = Child(record, "auth_results");
        var sourceIp = Text(row, "source_ip", source);
        if (!IPAddress.TryParse(sourceIp, out var ip))
        {
            throw new InvalidReportException($"{source}: source_ip '{Shortened(sourceIp)}' is not an IP address");
        }

        return new ReportRecord(
            ip,
            WholeNumber(row, "count", source, limits.MaxMessagesPerReport),
            OptionalText(evaluated, "disposition") ?? "none",
            OptionalText(evaluated, "dkim") == "pass",
            OptionalText(evaluated, "spf") == "pass",
            Text(identifiers, "header_from", source).ToLowerInvariant(),
            OptionalText(identifiers, "envelope_from"),
            AuthResults(auth, "dkim"),
            AuthResults(auth, "spf"));
    }

    private static IReadOnlyList<AuthResult> AuthResults(XElement? auth, string kind) =>
        auth is null
            ? []
            : [.. auth.Elements().Where(e => e.Name.LocalName == kind).Select(e => new AuthResult(
                OptionalText(e, "domain") ?? string.Empty,
                OptionalText(e, "selector"),
                OptionalText(e, "result") ?? "none"))];

    private static XElement? Child(XElement parent, string name) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static XElement Required(XElement parent, string name, string source) =>
        Child(parent, name) ?? throw new InvalidReportException($"{source}: <{parent.Name.LocalName}> has no <{name}>");

    private static string? OptionalText(XElement parent, string name) =>
        Child(parent, name)?.Value.Trim() is { Length: > 0 } value ? value : null;

    private static string Text(XElement parent, string name, string source) =>
        OptionalText(parent, name) ?? throw new InvalidReportException($"{source}: <{parent.Name.LocalName}> has no <{name}>");

    private static DateTimeOffset UnixTime(XElement parent, string name, string source) =>
        DateTimeOffset.FromUnixTimeSeconds(WholeNumber(parent, name, source, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));

    private static long WholeNumber(XElement parent, string name, string source, long max)
    {
        var text = Text(parent, name, source);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= max
            ? value
            : throw new InvalidReportException($"{source}: <{name}> '{Shortened(text)}' is not a whole number from 0 to {max}");
    }

    /// <summary>Enough of a hostile value to recognise it in an error line, not megabytes of it.</summary>
    private static string Shortened(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
