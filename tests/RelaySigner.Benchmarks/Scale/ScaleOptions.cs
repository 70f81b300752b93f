using System.Globalization;

namespace RelaySigner.Benchmarks.Scale;

/// <summary>The shape of one queue-scale run.</summary>
/// <param name="Queued">The queue depths to measure at, smallest first; the first is the baseline of the ratios.</param>
/// <param name="Size">Bytes per message.</param>
/// <param name="Messages">Messages enqueued, then claimed and completed, in each round (the depth stays the same).</param>
/// <param name="Rounds">Measured rounds per depth, after one warm-up round; the table shows medians.</param>
/// <param name="Callers">Concurrent enqueue callers, like that many SMTP sessions.</param>
/// <param name="Slots">Deliveries in flight, as <c>Relay:Delivery:MaxConcurrentDeliveries</c> (default 20).</param>
internal sealed record ScaleOptions(IReadOnlyList<int> Queued, int Size, int Messages, int Rounds, int Callers, int Slots)
{
    public static ScaleOptions Parse(string[] args)
    {
        var options = new ScaleOptions(Queued: [1000, 1_000_000], Size: 10240, Messages: 2000, Rounds: 5, Callers: 20, Slots: 20);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--queued" => options with { Queued = [.. value.Split(',').Select(Number).Order()] },
                "--size" => options with { Size = Number(value) },
                "--messages" => options with { Messages = Number(value) },
                "--rounds" => options with { Rounds = Number(value) },
                "--callers" => options with { Callers = Number(value) },
                "--slots" => options with { Slots = Number(value) },
                _ => throw new ArgumentException(
                    $"unknown option {args[i]}; known: --queued N,N,.. --size B --messages N --rounds N --callers N --slots N"),
            };
        }

        return options;
    }

    private static int Number(string value) => int.Parse(value.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
}
