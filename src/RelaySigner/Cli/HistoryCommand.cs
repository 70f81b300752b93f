using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using RelaySigner.Queue;

namespace RelaySigner.Cli;

/// <summary>
/// <c>relaysigner history QUERY [--since WHEN] [--json]</c>: did a message go out, and what did the receiving server
/// say? Finds messages by queue id (any case), Message-ID or recipient address, still queued or gone (while
/// <c>Relay:Queue:HistoryRetention</c> keeps them), and prints every attempt per recipient: time, server, TLS, reply.
/// No Subject or body: the history keeps none.
/// </summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var query = new Argument<string>("query") { Description = "Queue id, Message-ID (with or without <>) or recipient address" };
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "Only messages received since then: a time (2026-03-01T09:00Z) or an age (90m, 12h, 7d)",
            CustomParser = ParseSince,
        };
        var json = QueueCli.JsonOption();
        var history = QueueCli.Verb("history", "Find a message's history by queue id, Message-ID or recipient: every attempt with its server, TLS and reply.");
        history.Arguments.Add(query);
        history.Options.Add(since);
        history.Options.Add(json);
        history.SetAction(parseResult => QueueCli.Run(parseResult, store =>
        {
            var text = parseResult.GetValue(query)!;
            var found = store.FindHistory(HistoryQuery.Parse(text), parseResult.GetValue(since));
            if (parseResult.GetValue(json))
            {
                QueueCli.WriteJson(parseResult, found.Select(m => new
                {
                    m.Id, m.MessageId, m.Sender, m.Size, m.ReceivedAt, m.State, m.RemovedAt, m.Attempts,
                }));
                return found.Count == 0 ? 1 : 0;
            }

            if (found.Count == 0)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"{text}: no message found, in the queue or its history");
                return 1;
            }

            var output = parseResult.InvocationConfiguration.Output;
            foreach (var message in found)
            {
                Write(message, output);
            }

            return 0;
        }));
        return history;
    }

    /// <summary>Each attempt on a line of its own, oldest first (an attempt's recipients in envelope order).</summary>
    internal static void WriteAttempts(IReadOnlyList<DeliveryAttempt> attempts, TextWriter output)
    {
        if (attempts.Count == 0)
        {
            output.WriteLine("    no attempt yet");
            return;
        }

        foreach (var a in attempts)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    #{a.Attempt} {QueueCommand.Time(a.At)}  {a.Status.ToString().ToLowerInvariant(),-9} <{a.Recipient}>  relay={a.Server ?? "none"}  tls={a.Tls ?? "none"}  ({a.Reply ?? "no reply"})"));
        }
    }

    private static void Write(MessageHistory message, TextWriter output)
    {
        var left = message.RemovedAt is { } at ? $" {QueueCommand.Time(at)}" : string.Empty;
        var messageId = message.MessageId is { } value ? $"  message-id <{value}>" : string.Empty;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{message.Id}  {message.Size,9} bytes  arrived {QueueCommand.Time(message.ReceivedAt)}  {message.State}{left}  from <{message.Sender}>{messageId}"));
        WriteAttempts(message.Attempts, output);
    }

    /// <summary>An absolute time, or an age counted back from now: <c>90m</c>, <c>12h</c>, <c>7d</c>, or <c>1.12:00:00</c>.</summary>
    private static DateTimeOffset? ParseSince(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value.Trim();
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            TimeSpan? age = char.ToLowerInvariant(text[^1]) switch
            {
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (age is { } ago)
            {
                return DateTimeOffset.UtcNow - ago;
            }
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            return DateTimeOffset.UtcNow - span;
        }

        result.AddError($"--since '{text}' is neither a time (2026-03-01T09:00Z) nor an age (90m, 12h, 7d)");
        return null;
    }
}
