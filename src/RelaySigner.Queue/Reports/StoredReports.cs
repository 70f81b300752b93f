using System.Data.Common;
using System.Net;
using System.Runtime.CompilerServices;
using RelaySigner.Dmarc.Reports;
using RelaySigner.Dmarc.Reports.Store;

namespace RelaySigner.Queue.Reports;

/// <summary>
/// Reading reports back, the same on both stores: one query of <see cref="Columns"/> over the reports left-joined with
/// their records, ordered by report and position, turned into reports as the rows stream by. Only how a time and
/// an address are stored differs between the stores.
/// </summary>
internal static class StoredReports
{
    public const string Columns =
        "r.id, r.org_name, r.report_id, r.begin_at, r.end_at, r.domain, r.p, r.sp, r.pct, r.adkim, r.aspf, " +
        "rec.ordinal, rec.source_ip, rec.count, rec.disposition, rec.dkim_aligned, rec.spf_aligned, rec.header_from, " +
        "rec.envelope_from, rec.dkim, rec.spf";

    public const string Order = "ORDER BY r.id, rec.ordinal";

    /// <summary>The FROM of the query, the tables named with <paramref name="schema"/> ("relaysigner." or none);
    /// the caller adds the WHERE and <see cref="Order"/>.</summary>
    public static string From(string schema) =>
        $"FROM {schema}dmarc_reports r LEFT JOIN {schema}dmarc_records rec ON rec.report = r.id";

    /// <summary>The six sums of <see cref="ReportTotals"/>, in its order, as the sum tables name them.</summary>
    public const string TotalsColumns = "messages, dkim_aligned, spf_aligned, dmarc_pass, quarantined, rejected";

    /// <summary>The sums over a window; cast, as PostgreSQL's SUM of a bigint is a numeric.</summary>
    public const string SummedTotalsColumns =
        "CAST(SUM(messages) AS bigint), CAST(SUM(dkim_aligned) AS bigint), CAST(SUM(spf_aligned) AS bigint), " +
        "CAST(SUM(dmarc_pass) AS bigint), CAST(SUM(quarantined) AS bigint), CAST(SUM(rejected) AS bigint)";

    public static ReportTotals Totals(DbDataReader reader, int first) => new(
        reader.GetInt64(first), reader.GetInt64(first + 1), reader.GetInt64(first + 2),
        reader.GetInt64(first + 3), reader.GetInt64(first + 4), reader.GetInt64(first + 5));

    public static async IAsyncEnumerable<AggregateReport> ReadAsync(
        DbDataReader reader,
        Func<DbDataReader, int, DateTimeOffset> time,
        Func<DbDataReader, int, IPAddress> address,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long? current = null;
        ReportMetadata? metadata = null;
        PublishedPolicy? policy = null;
        var records = new List<ReportRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetInt64(0);
            if (id != current)
            {
                if (current is not null)
                {
                    yield return new AggregateReport(metadata!, policy!, records);
                    records = [];
                }

                current = id;
                metadata = new ReportMetadata(reader.GetString(1), reader.GetString(2), time(reader, 3), time(reader, 4));
                policy = new PublishedPolicy(reader.GetString(5), reader.GetString(6), NullableString(reader, 7),
                    reader.GetInt32(8), reader.GetString(9), reader.GetString(10));
            }

            if (!reader.IsDBNull(11))
            {
                records.Add(new ReportRecord(
                    address(reader, 12), reader.GetInt64(13), reader.GetString(14), reader.GetBoolean(15),
                    reader.GetBoolean(16), reader.GetString(17), NullableString(reader, 18),
                    AuthResultsJson.Decode(NullableString(reader, 19)), AuthResultsJson.Decode(NullableString(reader, 20))));
            }
        }

        if (current is not null)
        {
            yield return new AggregateReport(metadata!, policy!, records);
        }
    }

    /// <summary>Per day then source, in the order the seam promises both stores give.</summary>
    public static List<DailySourceTotals> Ordered(IEnumerable<DailySourceTotals> rows) =>
        [.. rows.OrderBy(r => r.Day).ThenBy(r => r.SourceIp.ToString(), StringComparer.Ordinal)];

    /// <summary>Busiest first, then by reporter and source.</summary>
    public static List<ReporterSourceTotals> Ordered(IEnumerable<ReporterSourceTotals> rows) =>
        [.. rows.OrderByDescending(r => r.Totals.Messages).ThenBy(r => r.OrgName, StringComparer.Ordinal)
            .ThenBy(r => r.SourceIp.ToString(), StringComparer.Ordinal)];

    private static string? NullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
