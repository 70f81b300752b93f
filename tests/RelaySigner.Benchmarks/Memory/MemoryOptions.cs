using System.Globalization;

namespace RelaySigner.Benchmarks.Memory;

/// <summary>The shape of one memory run: the size of the large message, and how many idle sessions to hold open.</summary>
/// <param name="SizeMegabytes">Size of the one large message in MiB (issue 8: 50 MB); 0 skips that scenario.</param>
/// <param name="IdleSessions">Concurrent idle sessions, each past EHLO (issue 8: 1,000); 0 skips that scenario.</param>
internal sealed record MemoryOptions(int SizeMegabytes, int IdleSessions)
{
    public long SizeBytes => SizeMegabytes * 1024L * 1024L;

    public static MemoryOptions Parse(string[] args)
    {
        var options = new MemoryOptions(SizeMegabytes: 50, IdleSessions: 1000);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--size-mb" => options with { SizeMegabytes = value },
                "--idle" => options with { IdleSessions = value },
                _ => throw new ArgumentException($"unknown option {args[i]}; known: --size-mb MiB --idle sessions"),
            };
        }

        return options;
    }
}
