using System.Globalization;

namespace RelaySigner.Benchmarks.Soak;

/// <summary>The shape of one soak of the PostgreSQL queue.</summary>
/// <param name="Messages">Messages that go through the queue: enqueued, claimed, recorded delivered (and so removed).</param>
/// <param name="Size">Bytes per message.</param>
/// <param name="Callers">Concurrent enqueue callers, like that many SMTP sessions.</param>
/// <param name="Slots">Deliveries in flight, as <c>Relay:Delivery:MaxConcurrentDeliveries</c> (default 20).</param>
/// <param name="AutovacuumWait">How long to wait for autovacuum to visit every table before running VACUUM by hand.</param>
/// <param name="ConnectionString">The database; empty starts a throwaway cluster.</param>
internal sealed record SoakOptions(int Messages, int Size, int Callers, int Slots, TimeSpan AutovacuumWait, string ConnectionString)
{
    public static SoakOptions Parse(string[] args)
    {
        var options = new SoakOptions(Messages: 200_000, Size: 10240, Callers: 20, Slots: 20, AutovacuumWait: TimeSpan.FromMinutes(3), ConnectionString: "");
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--messages" => options with { Messages = Number(value) },
                "--size" => options with { Size = Number(value) },
                "--callers" => options with { Callers = Number(value) },
                "--slots" => options with { Slots = Number(value) },
                "--autovacuum-wait" => options with { AutovacuumWait = TimeSpan.FromSeconds(Number(value)) },
                "--connection-string" => options with { ConnectionString = value },
                _ => throw new ArgumentException(
                    $"unknown option {args[i]}; known: --messages N --size B --callers N --slots N --autovacuum-wait SECONDS --connection-string S"),
            };
        }

        return options;
    }

    private static int Number(string value) => int.Parse(value.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
}
