using System.CommandLine;
using System.Globalization;
using RelaySigner.Core.Queue;
using RelaySigner.Queue;

namespace RelaySigner.Cli;

/// <summary>
/// <c>relaysigner queue list|show|retry|delete|stats</c>: what the queue holds, read straight from the store
/// (safe while relays run), and changes to it (<see cref="IQueueAdministration"/>).
/// The store comes from the same configuration as <c>run</c> (appsettings.json, environment,
/// <c>--Relay:Queue:Path=…</c> or <c>--Relay:Queue:Provider=PostgreSql --Relay:Queue:ConnectionString=…</c>).
/// </summary>
internal static class QueueCommand
{
    public static Command Create()
    {
        var domain = new Option<string>("--domain") { Description = "Only messages with a recipient pending at this domain" };
        var state = new Option<string>("--state") { Description = "Only messages that are: new (not tried yet), deferred (tried, waiting to retry), delivering (leased now), failed (a recipient failed for good)" };
        state.AcceptOnlyFromAmong(QueueFilter.States);
        var json = QueueCli.JsonOption();
        var list = QueueCli.Verb("list", "List queued messages with their recipients, attempts and next attempt time.");
        list.Options.Add(domain);
        list.Options.Add(state);
        list.Options.Add(json);
        list.SetAction(parseResult =>
        {
            var now = DateTimeOffset.UtcNow;
            var filter = new QueueFilter(parseResult.GetValue(domain), parseResult.GetValue(state), now);
            return QueueCli.Run(parseResult, store =>
            {
                var entries = store.List().Where(filter.Matches).ToList();
                if (parseResult.GetValue(json))
                {
                    QueueCli.WriteJson(parseResult, entries);
                }
                else
                {
                    Write(entries, now, parseResult.InvocationConfiguration.Output);
                }

                return 0;
            });
        });

        return new Command("queue", "Inspect and act on the delivery queue, also while the relay runs (postqueue/postsuper style).")
        {
            list,
            QueueShowCommand.Create(),
            QueueRetryCommand.Create(),
            QueueDeleteCommand.Create(),
            QueueStatsCommand.Create(),
        };
    }

    /// <summary>One block per message (postqueue -p style): id, size, arrival, sender, then each recipient with its state.</summary>
    internal static void Write(IReadOnlyList<QueueEntry> entries, DateTimeOffset now, TextWriter output)
    {
        if (entries.Count == 0)
        {
            output.WriteLine("Queue is empty.");
            return;
        }

        var pending = 0;
        foreach (var entry in entries)
        {
            WriteEntry(entry, now, output);
            pending += entry.Recipients.Count(r => r.Status == RecipientStatus.Pending);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"-- {entries.Count} messages, {pending} recipients pending."));
    }

    /// <summary>One message: its line, then each recipient with its state and last reply.</summary>
    internal static void WriteEntry(QueueEntry entry, DateTimeOffset now, TextWriter output)
    {
        var state = entry.LeasedUntil is { } lease && lease > now
            ? entry.LeasedBy is { } node ? $"being delivered by {node}" : "being delivered"
            : $"next attempt {Time(entry.NextAttemptAt)}";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{entry.Id}  {entry.Size,9} bytes  arrived {Time(entry.ReceivedAt)}  attempts {entry.Attempts}  {state}  from <{entry.Sender}>"));
        foreach (var recipient in entry.Recipients)
        {
            var reply = recipient.LastReply is null ? string.Empty : $" ({recipient.LastReply})";
            output.WriteLine($"    {recipient.Status.ToString().ToLowerInvariant(),-9} <{recipient.Address}>{reply}");
        }
    }

    internal static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
