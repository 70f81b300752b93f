using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using RelaySigner.Core.Queue;
using RelaySigner.Queue;

namespace RelaySigner.Cli;

/// <summary>
/// <c>relaysigner queue list</c>: what the queue holds, read straight from <c>queue.db</c> (safe while the relay runs).
/// The queue folder comes from the same configuration as <c>run</c> (appsettings.json, environment,
/// <c>--Relay:Queue:Path=…</c>).
/// </summary>
internal static class QueueCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List queued messages with their recipients, attempts and next attempt time. Configuration overrides may follow, e.g. --Relay:Queue:Path=data.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        list.SetAction(parseResult =>
        {
            var configuration = new ConfigurationBuilder()
                .SetBasePath(Directory.GetCurrentDirectory())
                .AddJsonFile("appsettings.json", optional: true)
                .AddEnvironmentVariables()
                .AddCommandLine([.. parseResult.UnmatchedTokens])
                .Build();
            var folder = configuration[$"{QueueOptions.SectionName}:Path"] ?? new QueueOptions().Path;
            Write(QueueListing.Read(folder), DateTimeOffset.UtcNow, parseResult.InvocationConfiguration.Output);
            return 0;
        });

        return new Command("queue", "Inspect the delivery queue.") { list };
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
            var state = entry.LeasedUntil is { } lease && lease > now
                ? "being delivered"
                : $"next attempt {Time(entry.NextAttemptAt)}";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{entry.Id}  {entry.Size,9} bytes  arrived {Time(entry.ReceivedAt)}  attempts {entry.Attempts}  {state}  from <{entry.Sender}>"));
            foreach (var recipient in entry.Recipients)
            {
                pending += recipient.Status == RecipientStatus.Pending ? 1 : 0;
                var reply = recipient.LastReply is null ? string.Empty : $" ({recipient.LastReply})";
                output.WriteLine($"    {recipient.Status.ToString().ToLowerInvariant(),-9} <{recipient.Address}>{reply}");
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"-- {entries.Count} messages, {pending} recipients pending."));
    }

    private static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
