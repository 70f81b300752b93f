using System.Globalization;

namespace RelaySigner.Benchmarks.Dmarc;

/// <summary>The shape of one dmarc-import run.</summary>
/// <param name="Reports">Synthetic aggregate reports imported.</param>
/// <param name="Records">Rows per report.</param>
/// <param name="Queue">The store: <c>sqlite</c> (a temp folder) or <c>postgresql</c>.</param>
/// <param name="ConnectionString">PostgreSQL database to use; empty: a throwaway cluster on 127.0.0.1.</param>
internal sealed record DmarcImportOptions(int Reports, int Records, string Queue, string ConnectionString)
{
    public static DmarcImportOptions Parse(string[] args)
    {
        var options = new DmarcImportOptions(Reports: 10_000, Records: 100, Queue: "sqlite", ConnectionString: "");
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--reports" => options with { Reports = Number(value) },
                "--records" => options with { Records = Number(value) },
                "--queue" when value is "sqlite" or "postgresql" => options with { Queue = value },
                "--connection-string" => options with { ConnectionString = value },
                _ => throw new ArgumentException(
                    $"unknown option {args[i]} {value}; known: --reports N --records N --queue sqlite|postgresql --connection-string S"),
            };
        }

        return options;
    }

    private static int Number(string value) => int.Parse(value.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
}
