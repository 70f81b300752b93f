using System.CommandLine;
using RelaySigner.Queue.Feedback;
using RelaySigner.Queue.PostgreSql.Feedback;

namespace RelaySigner.Cli;

/// <summary>What the <c>suppress</c> verbs share: the list in the relay's queue database, and their options.</summary>
internal static class SuppressCli
{
    /// <summary>Exit code of input that cannot be used (a bad reason, a CSV line that does not parse).</summary>
    public const int UsageError = 2;

    public static Option<string> DomainOption(string description) => new("--domain") { Description = description };

    public static Option<string> RecipientOption() =>
        new("--recipient") { Description = "The recipient address (its domain part compared ignoring case, the local part exactly)", Required = true };

    /// <summary>
    /// Runs <paramref name="action"/> on the suppression list of the store the relay uses, as the queue verbs do
    /// (<see cref="QueueCli.RunOn{TStore}"/>): exit code 3 when PostgreSQL cannot be used, 78 for the configuration.
    /// </summary>
    public static int Run(ParseResult parseResult, Func<ISuppressionAdministration, Task<int>> action) =>
        QueueCli.RunOn<ISuppressionAdministration>(parseResult,
            folder => SqliteFeedbackStore.ForFolder(folder, TimeProvider.System),
            database => new PostgreSqlFeedbackStore(database, TimeProvider.System, new Core.Feedback.EventsOptions()),
            store => action(store).GetAwaiter().GetResult());
}
