using System.CommandLine;
using RelaySigner.Core;
using RelaySigner.Queue;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner queue delete ID</c>: removes a message without a bounce (<c>postsuper -d</c>).</summary>
internal static class QueueDeleteCommand
{
    public static Command Create()
    {
        var id = QueueCli.IdArgument();
        var delete = QueueCli.Verb("delete", "Remove a message from the queue, with no bounce to its sender. A message being delivered right now is left alone (exit code 2).");
        delete.Arguments.Add(id);
        delete.SetAction(parseResult =>
        {
            var queueId = QueueCli.Id(parseResult, id);
            return QueueCli.Run(parseResult, store => QueueCli.Report(parseResult, queueId, store.Delete(queueId, DateTimeOffset.UtcNow), "deleted"));
        });
        return delete;
    }
}
