using System.CommandLine;
using RelaySigner.Queue;
using RelaySigner.Queue.PostgreSql;

namespace RelaySigner.Cli;

/// <summary>
/// <c>relaysigner bulk resume --domain D</c>: lets a paused domain's bulk mail through again, on the store the relay
/// uses; running relays see it at their guard's next check, within a minute.
/// </summary>
internal static class BulkResumeCommand
{
    public static Command Create()
    {
        var domain = new Option<string>("--domain") { Description = "The organisational domain whose bulk mail is paused", Required = true };
        var resume = QueueCli.Verb("resume", "Resume the bulk mail of a domain the complaint-rate guard paused. Exit code 1 when it was not paused.");
        resume.Options.Add(domain);
        resume.SetAction(parseResult =>
        {
            var name = parseResult.GetValue(domain)!.Trim().TrimEnd('.').ToLowerInvariant();
            return QueueCli.RunOn(parseResult, folder => (Core.Feedback.IBulkPauseStore)new SqliteBulkPauseStore(folder), database => new PostgreSqlBulkPauseStore(database), store =>
            {
                if (store.ResumeAsync(name, DateTimeOffset.UtcNow, CancellationToken.None).GetAwaiter().GetResult())
                {
                    parseResult.InvocationConfiguration.Output.WriteLine($"{name}: bulk mail resumed; running relays let it through within a minute");
                    return 0;
                }

                parseResult.InvocationConfiguration.Error.WriteLine($"{name}: bulk mail was not paused, nothing changed");
                return 1;
            });
        });
        return resume;
    }
}
