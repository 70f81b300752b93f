using System.Globalization;

namespace RelaySigner.Benchmarks.Load;

/// <summary>The shape of one load run; the defaults match the peer baseline's load (smtp-source -s 20 -l 10240).</summary>
/// <param name="Reuse">false: one SMTP session per message (smtp-source default); true: many messages per session (-d).</param>
/// <param name="PostgreSql">The relay's queue on PostgreSQL instead of SQLite.</param>
/// <param name="ConnectionString">With <paramref name="PostgreSql"/>: the database; empty starts a throwaway cluster.</param>
internal sealed record LoadOptions(int Messages, int Sessions, int Size, bool Reuse, int Warmup, bool PostgreSql = false, string ConnectionString = "")
{
    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions(Messages: 3000, Sessions: 20, Size: 10240, Reuse: false, Warmup: 200);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--messages" => options with { Messages = int.Parse(value, CultureInfo.InvariantCulture) },
                "--sessions" => options with { Sessions = int.Parse(value, CultureInfo.InvariantCulture) },
                "--size" => options with { Size = int.Parse(value, CultureInfo.InvariantCulture) },
                "--warmup" => options with { Warmup = int.Parse(value, CultureInfo.InvariantCulture) },
                "--mode" => options with { Reuse = value == "reuse" },
                "--queue" => options with { PostgreSql = value.Equals("postgresql", StringComparison.OrdinalIgnoreCase) },
                "--connection-string" => options with { ConnectionString = value },
                _ => throw new ArgumentException($"unknown option {args[i]}; known: --messages --sessions --size --warmup --mode conn|reuse --queue sqlite|postgresql --connection-string S"),
            };
        }

        return options;
    }
}
