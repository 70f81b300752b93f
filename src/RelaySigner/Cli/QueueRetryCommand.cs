using System.CommandLine;
using RelaySigner.Core;
using RelaySigner.Queue;

namespace RelaySigner.Cli;

/// <summary><c>relaysigner queue retry ID | --all</c>: due now (<c>postqueue -i</c> / <c>postqueue -f</c>).</summary>
internal static class QueueRetryCommand
{
    public static Command Create()
    {
        var id = QueueCli.IdArgument();
        id.Arity = ArgumentArity.ZeroOrOne;
        var all = new Option<bool>("--all") { Description = "Every queued message" };
        var retry = QueueCli.Verb("retry", "Make a message (or --all) due now; a running relay sends it at its next look at the queue (within 30 s).");
        retry.Arguments.Add(id);
        retry.Options.Add(all);
        retry.Validators.Add(result =>
        {
            if ((result.GetValue(id) is null) == !result.GetValue(all))
            {
                result.AddError("Give a queue id or --all.");
            }
        });
        retry.SetAction(parseResult =>
        {
            return QueueCli.Run(parseResult, store =>
            {
                if (parseResult.GetValue(all))
                {
                    var (retried, delivering) = store.RetryAll(DateTimeOffset.UtcNow);
                    parseResult.InvocationConfiguration.Output.WriteLine($"{retried} messages due now; {delivering} being delivered right now were left alone.");
                    return 0;
                }

                var queueId = QueueCli.Id(parseResult, id);
                return QueueCli.Report(parseResult, queueId, store.Retry(queueId, DateTimeOffset.UtcNow), "due now");
            });
        });
        return retry;
    }
}
