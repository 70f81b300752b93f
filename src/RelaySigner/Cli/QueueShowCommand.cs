using System.CommandLine;
using System.Text;
using RelaySigner.Core;
using RelaySigner.Queue;

namespace RelaySigner.Cli;

/// <summary>
/// <c>relaysigner queue show ID [--with-body]</c>: one message's envelope, per-recipient state, attempts and last
/// replies (<c>postcat -q</c>). The stored message (headers and body) only when asked for, since it may be private.
/// </summary>
/// <remarks>The id is found in any case; the attempts come from the message's history (<see cref="DeliveryAttempt"/>).</remarks>
internal static class QueueShowCommand
{
    public static Command Create()
    {
        var id = QueueCli.IdArgument();
        var withBody = new Option<bool>("--with-body") { Description = "Also print the stored message (signed headers and body)" };
        var json = QueueCli.JsonOption();
        var show = QueueCli.Verb("show", "Show one queued message: envelope, recipients with their state and last reply, attempts.");
        show.Arguments.Add(id);
        show.Options.Add(withBody);
        show.Options.Add(json);
        show.SetAction(parseResult => QueueCli.Run(parseResult, store =>
        {
            var queueId = QueueCli.Id(parseResult, id);
            var entry = store.List().FirstOrDefault(e => e.Id == queueId);
            if (entry is null)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"{queueId}: not in the queue; `relaysigner history {queueId}` shows it if it left");
                return 1;
            }

            var attempts = store.ReadAttempts(queueId);

            // Latin-1 maps every byte to one character, so 8-bit content is shown without being altered.
            var body = parseResult.GetValue(withBody) && store.ReadContent(queueId) is { } content
                ? Encoding.Latin1.GetString(content)
                : null;
            if (parseResult.GetValue(json))
            {
                QueueCli.WriteJson(parseResult, new { entry.Id, entry.Sender, entry.Size, entry.ReceivedAt, entry.Attempts, entry.NextAttemptAt, entry.LeasedUntil, entry.LeasedBy, entry.Recipients, AttemptHistory = attempts, Message = body });
                return 0;
            }

            var output = parseResult.InvocationConfiguration.Output;
            QueueCommand.WriteEntry(entry, DateTimeOffset.UtcNow, output);
            HistoryCommand.WriteAttempts(attempts, output);
            if (body is not null)
            {
                output.WriteLine();
                output.Write(body);
            }

            return 0;
        }));
        return show;
    }
}
