using System.Globalization;

namespace RelaySigner.Benchmarks.Load;

/// <summary>The shape of one load run; the defaults match the peer baseline's load (smtp-source -s 20 -l 10240).</summary>
/// <param name="Reuse">false: one SMTP session per message (smtp-source default); true: many messages per session (-d).</param>
internal sealed record LoadOptions(int Messages, int Sessions, int Size, bool Reuse, int Warmup)
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
                _ => throw new ArgumentException($"unknown option {args[i]}; known: --messages --sessions --size --warmup --mode conn|reuse"),
            };
        }

        return options;
    }
}
