using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using RelaySigner.Core;
using Microsoft.Extensions.Configuration;
using Npgsql;
using RelaySigner.Queue;
using RelaySigner.Queue.PostgreSql;

namespace RelaySigner.Cli;

/// <summary>What the <c>queue</c> verbs share: the store from the relay's configuration, the id argument, JSON output.</summary>
internal static class QueueCli
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new QueueIdJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Write JSON instead of text" };

    public static Argument<string> IdArgument() => new("id")
    {
        Description = "Queue id, as `queue list` shows it",
        // A token such as --Relay:Queue:Path=data is a configuration override, never an id: leave it unmatched.
        CustomParser = result =>
        {
            if (result.Tokens.Count > 0 && result.Tokens[0].Value.StartsWith('-'))
            {
                result.OnlyTake(0);
                return null;
            }

            return result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        },
    };

    /// <summary>Configuration overrides may follow the verb, as for <c>run</c>: e.g. --Relay:Queue:Path=data.</summary>
    public static Command Verb(string name, string description) =>
        new(name, description + " Configuration overrides may follow, e.g. --Relay:Queue:Path=data.") { TreatUnmatchedTokensAsErrors = false };

    /// <summary>
    /// Runs <paramref name="action"/> on the store the relay uses (<c>Relay:Queue</c> from appsettings.json, the
    /// environment, then --Relay:Queue:…=… overrides): the SQLite folder or the shared PostgreSQL database.
    /// </summary>
    /// <returns>The action's exit code; 3 when the configuration is invalid or the store cannot be reached.</returns>
    public static int Run(ParseResult parseResult, Func<IQueueAdministration, int> action)
    {
        var options = new QueueOptions();
        var error = parseResult.InvocationConfiguration.Error;
        try
        {
            CliConfiguration.Load(parseResult.UnmatchedTokens).GetSection(QueueOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return 3;
        }

        var validation = new QueueOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            foreach (var failure in validation.Failures)
            {
                error.WriteLine($"error: {failure}");
            }

            return 3;
        }

        try
        {
            if (options.Provider == QueueProvider.PostgreSql)
            {
                using var database = PostgreSqlDataSource.Create(options);
                return action(new PostgreSqlQueueAdministration(database));
            }

            return action(new SqliteQueueAdministration(options.Path));
        }
        catch (NpgsqlException ex)
        {
            error.WriteLine($"error: the queue database cannot be used: {ex.Message}");
            return 3;
        }
    }

    public static void WriteJson<T>(ParseResult parseResult, T value) =>
        parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <returns>The exit code: 0 done, 1 no such message, 2 being delivered right now (nothing changed).</returns>
    public static int Report(ParseResult parseResult, QueueId id, QueueChange change, string done)
    {
        var (text, exitCode) = change switch
        {
            QueueChange.Done => ($"{id}: {done}", 0),
            QueueChange.NotFound => ($"{id}: not in the queue", 1),
            _ => ($"{id}: being delivered right now, nothing changed; try again in a moment", 2),
        };
        (exitCode == 0 ? parseResult.InvocationConfiguration.Output : parseResult.InvocationConfiguration.Error).WriteLine(text);
        return exitCode;
    }
}
