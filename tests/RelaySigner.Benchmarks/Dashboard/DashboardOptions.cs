using System.Globalization;

namespace RelaySigner.Benchmarks.Dashboard;

/// <summary>The shape of one dashboard-pages run.</summary>
/// <param name="Reports">Aggregate reports loaded into the store, spread over <paramref name="Domains"/> and 30 days.</param>
/// <param name="Records">Records per report (source IP rows).</param>
/// <param name="Requests">Timed requests per page, after two warm-up requests each.</param>
internal sealed record DashboardOptions(int Reports, int Records, int Domains, int Requests)
{
    public static DashboardOptions Parse(string[] args)
    {
        var options = new DashboardOptions(Reports: 10_000, Records: 100, Domains: 20, Requests: 50);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1].Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--reports" => options with { Reports = value },
                "--records" => options with { Records = value },
                "--domains" => options with { Domains = value },
                "--requests" => options with { Requests = value },
                _ => throw new ArgumentException($"unknown option {args[i]}; known: --reports N --records N --domains N --requests N"),
            };
        }

        return options;
    }
}
