using System.CommandLine;
using System.Globalization;
using RelaySigner.Queue;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner queue stats</c>: per destination, how much waits, since when, and the last reply.</summary>
internal static class QueueStatsCommand
{
    public static Command Create()
    {
        var json = QueueCli.JsonOption();
        var stats = QueueCli.Verb("stats", "Per destination domain: messages and recipients pending, the oldest arrival, the last reply.");
        stats.Options.Add(json);
        stats.SetAction(parseResult => QueueCli.Run(parseResult, store =>
        {
            var destinations = QueueDestinationStats.Of(store.ListPending());
            if (parseResult.GetValue(json))
            {
                QueueCli.WriteJson(parseResult, destinations);
                return 0;
            }

            var output = parseResult.InvocationConfiguration.Output;
            if (destinations.Count == 0)
            {
                output.WriteLine("Queue is empty.");
                return 0;
            }

            foreach (var d in destinations)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{d.Destination}  messages {d.Messages}  recipients {d.Recipients}  oldest {QueueCommand.Time(d.Oldest)}  last reply: {d.LastReply ?? "none yet"}"));
            }

            return 0;
        }));
        return stats;
    }
}
